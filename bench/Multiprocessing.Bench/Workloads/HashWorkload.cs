using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HashWords;

namespace Multiprocessing.Bench;

/// <summary>W1: the guide's example, SHA-512 of a dictionary of words into a set.</summary>
internal sealed class HashWorkload : Workload
{
    private string[] _words = [];
    private string _digest = string.Empty;
    private string _file = string.Empty;

    public override string Id => "W1";

    public override string Title => "Hash 1 M words (SHA-512 hex into a set)";

    public override string? PythonWorkload => "hash";

    public override string? State => _file;

    // One Python run per start method: each hashes the million words three times (serial, first and warm pool).
    public override int PythonRounds(Settings s) => 1;

    public override void Prepare(Settings s)
    {
        _words = WordList.Generate((int)s.Size(1_000_000, 100_000));
        _digest = WordList.Digest(_words);
        _file = Path.Combine(s.WorkDirectory, $"words-{_words.Length}.txt");
        File.WriteAllLines(_file, _words);
    }

    public override void PrepareChild(Settings s, string? state) => _words = WordList.Load(state!);

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (null, _file, null, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.DotNet, _ =>
        {
            var f = new Figures();
            HashSet<string> set = [];
            f["serial_s"] = Time(() => set = SerialSet());
            Check(set, f);

            // The budget, piece by piece: the hash alone, the hex strings, the set built from them.
            Span<byte> digest = stackalloc byte[SHA512.HashSizeInBytes];
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            Span<byte> bytes = stackalloc byte[256];
            foreach (string w in _words)
            {
                SHA512.HashData(bytes[..Encoding.UTF8.GetBytes(w, bytes)], digest);
            }

            f["hash_only_s"] = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds;
            string[] hex = [];
            f["hash_hex_s"] = Time(() => hex = [.. _words.Select(Tasks.HashWord)]);
            f["set_only_s"] = Time(() => set = [.. hex]);
            HashSet<string>? plinq = null;
            f["plinq_s"] = Time(() => plinq = [.. _words.AsParallel().Select(Tasks.HashWord)]);
            return f;
        }),
        (WorkloadResult.Pool, g => RunPool(g.Track(new Pool(s.Processes)), s)),
        (WorkloadResult.Threaded, g => RunPool(g.Track(new ThreadedPool(s.Processes)), s)),
    ];

    public override Figures FromPython(JsonElement json)
    {
        string? digest = json.TryGetProperty("words_sha256", out var d) ? d.GetString() : null;
        if (digest != _digest)
        {
            throw new InvalidOperationException($"Python hashed a different word list (SHA-256 {digest}, expected {_digest}).");
        }

        return Pick(json, "pool_s", "warm_pool_s", "serial_s", "hashes");
    }

    public override void Report(WorkloadResult r, Settings s)
    {
        var h = Headline(r, "hash 1 M words", "s", higherIsBetter: false, Stats.Seconds, pythonKey: "pool_s", target: 1.5);
        r.Line(WorkloadResult.Threaded, c => $"first call {Stats.Seconds(c.Median("s"))}, warm {Stats.Seconds(c.Median("warm_s"))}");
        r.Line(WorkloadResult.DotNet, c => $"serial loop {Stats.Seconds(c.Median("serial_s"))}; PLINQ {Stats.Seconds(c.Median("plinq_s"))} first");
        foreach (string py in new[] { WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Line(py, c => $"pool {Stats.Seconds(c.Median("pool_s"))} first, {Stats.Seconds(c.Median("warm_pool_s"))} warm; serial {Stats.Seconds(c.Median("serial_s"))}");
        }

        var counts = r.Columns.Where(c => c.Value.Samples.Count > 0).Select(c => (c.Key, Count: c.Value.Median("hashes"))).ToList();
        if (counts.Select(c => c.Count).Distinct().Count() > 1)
        {
            r.Notes.Add("**MISMATCH: the variants found different numbers of distinct hashes:** " + string.Join(", ", counts.Select(c => $"{c.Key} {c.Count:N0}")) + ".");
        }

        r.Target("≥ 1.5x Python's Pool (first call)", h.RatioCold, 1.5, $"{Stats.Ratio(h.RatioCold)} (Python {h.PythonColdMethod} {Stats.Seconds(h.PythonCold)} / Pool {Stats.Seconds(h.OursCold)})");
        double serial = r.Median(WorkloadResult.DotNet, "serial_s");
        r.Target("≥ 1.6x serial C# (first calls)", serial / h.OursCold, 1.6, $"{Stats.Ratio(serial / h.OursCold)} (serial {Stats.Seconds(serial)} / Pool {Stats.Seconds(h.OursCold)})");

        // The budget: what the workers must spend, what the parent must spend, and the floor they make on these cores.
        double workers = r.Median(WorkloadResult.Pool, "map_workers_cpu_s");
        double parentMap = r.Median(WorkloadResult.Pool, "map_cpu_s");
        double parentSet = r.Median(WorkloadResult.Pool, "set_cpu_s");
        double caller = r.Median(WorkloadResult.Pool, "map_thread_cpu_s");
        double floor = (workers + parentMap + parentSet) / s.Cores;
        r.Analysis.Add($"**W1 budget** ({_words.Length:N0} words, Pool first call, medians): serial pieces in a fresh process — SHA-512 alone {Stats.Seconds(r.Median(WorkloadResult.DotNet, "hash_only_s"))}, " +
            $"hash + hex strings {Stats.Seconds(r.Median(WorkloadResult.DotNet, "hash_hex_s"))}, the set from them {Stats.Seconds(r.Median(WorkloadResult.DotNet, "set_only_s"))}. " +
            $"In the pool: the workers used {Stats.Seconds(workers)} of CPU between them; the parent {Stats.Seconds(parentMap)} during the Map (the calling thread {Stats.Seconds(caller)} of it) " +
            $"and {Stats.Seconds(parentSet)} building the set ({Stats.G(r.Median(WorkloadResult.Pool, "map_gen0"))} gen0 / {Stats.G(r.Median(WorkloadResult.Pool, "map_gen1"))} gen1 / {Stats.G(r.Median(WorkloadResult.Pool, "map_gen2"))} gen2 collections during the Map). " +
            $"Floor = total CPU / {s.Cores} cores = {Stats.Seconds(floor)}; the pool took {Stats.Seconds(h.OursCold)} (Map {Stats.Seconds(r.Median(WorkloadResult.Pool, "map_s"))} + set {Stats.Seconds(r.Median(WorkloadResult.Pool, "set_s"))}), " +
            $"{Stats.Ratio(h.OursCold / floor)} the floor. Serial C# is {Stats.Seconds(serial)}, so the best a {s.Cores}-core pool can do with this budget is {Stats.Ratio(serial / floor)} over serial.");
        r.Notes.Add($"{_words.Length:N0} generated words (SHA-256 {_digest[..12]}…, checked against Python's), read by both languages from one file. " +
            "Pool = `new HashSet<string>(pool.Map(HashWord, words))`, automatic chunksize, set building included; the workers are up (each ran a task of another function) but HashWord was never called. " +
            "Serial = `foreach (w) set.Add(HashWord(w))` in its own fresh process. Parent CPU from getrusage, the caller's from CLOCK_THREAD_CPUTIME_ID, the workers' from /proc.");
    }

    private HashSet<string> SerialSet()
    {
        var set = new HashSet<string>();
        foreach (string w in _words)
        {
            set.Add(Tasks.HashWord(w));
        }

        return set;
    }

    private Figures RunPool(IPool pool, Settings s)
    {
        using (pool)
        {
            int[] pids = WaitForWorkers(pool);
            var f = new Figures();
            foreach (string prefix in new[] { string.Empty, "warm_" })
            {
                var start = Probe.Now(pids);
                var list = pool.Map(Tasks.HashWord, _words);
                var mapped = Probe.Now(pids);
                var set = new HashSet<string>(list);
                var end = Probe.Now(pids);
                mapped.Since(start, f, prefix + "map");
                end.Since(mapped, f, prefix + "set");
                f[prefix + "s"] = f[prefix + "map_s"] + f[prefix + "set_s"];
                Check(set, f);
            }

            return f;
        }
    }

    /// <summary>Records the set's size and an order-free checksum, compared across processes and with Python's count.</summary>
    private static void Check(HashSet<string> set, Figures f)
    {
        ulong x = 0;
        foreach (string h in set)
        {
            x ^= ulong.Parse(h.AsSpan(0, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        double sum = (double)(x >> 12);
        if (f.TryGetValue("checksum", out double seen) && seen != sum)
        {
            throw new InvalidOperationException("The hash set of the warm call differs from the first one's.");
        }

        f["hashes"] = set.Count;
        f["checksum"] = sum;
    }
}
