using System.Globalization;
using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>W10: chunksize sweep on the W2 and W3 shapes: the automatic choice against the best fixed one.</summary>
internal sealed class SweepWorkload : Workload
{
    private const int MapRepeats = 5;

    /// <summary>Map chunksizes that would cut W3 into more chunks than this are not timed (seconds each, never the best).</summary>
    private const int MaxMapChunks = 50_000;
    private static readonly int?[] s_chunksizes = [null, 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144];
    private int _cpuN;
    private int _mapN;
    private int _k;
    private int _round;

    public override string Id => "W10";

    public override string Title => "Chunksize sweep on W2 (CPU) and W3 (map): automatic vs best fixed";

    public override string? PythonWorkload => "sweep";

    // No target compares with Python's sweep, and its chunksize-1 map alone takes seconds: run pool_bench.py --workload sweep by hand.
    public override int PythonRounds(Settings s) => 0;

    public override int Rounds(Settings s) => 1;

    public override string? State => _k.ToString(CultureInfo.InvariantCulture);

    public override void Prepare(Settings s)
    {
        _cpuN = (int)s.Size(1000, 200);
        _mapN = (int)s.Size(2_000_000, 500_000);
        _k = Tasks.CalibrateK();
    }

    public override void PrepareChild(Settings s, string? state)
    {
        _cpuN = (int)s.Size(1000, 200);
        _mapN = (int)s.Size(2_000_000, 500_000);
        _k = int.Parse(state!, CultureInfo.InvariantCulture);
        _round = Environment.ProcessId; // each round is a fresh process: its pid rotates the order
    }

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (200_000, null, null, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, g =>
        {
            using var pool = g.Track(new Pool(new PoolOptions { Processes = s.Processes, Initializer = (Action<int>)Tasks.SetK, InitArgs = [_k] }));
            WaitForWorkers(pool);
            pool.Map(Tasks.Burn, Enumerable.Range(0, 4 * s.Processes), chunksize: 1);
            pool.Map(Tasks.Identity, Enumerable.Range(0, _mapN));
            var f = new Figures();

            // Rotate the order from round to round, so that no chunksize always runs first or last.
            int shift = _round++;
            int?[] order = [.. s_chunksizes.Skip(shift % s_chunksizes.Length), .. s_chunksizes.Take(shift % s_chunksizes.Length)];
            foreach (int? cs in order)
            {
                if (cs is null || cs <= _cpuN / 2)
                {
                    f["cpu:" + Label(cs)] = Time(() => pool.Map(Tasks.Burn, Enumerable.Range(0, _cpuN), cs));
                }
            }

            // The chunksizes take turns over MapRepeats passes (a block timed in a row pays for the previous block's garbage).
            var mapSizes = order.Where(cs => cs is null || _mapN / cs <= MaxMapChunks).ToList();
            var times = mapSizes.ToDictionary(Label, _ => new List<double>(MapRepeats));
            for (int pass = 0; pass < MapRepeats; pass++)
            {
                foreach (int? cs in mapSizes)
                {
                    times[Label(cs)].Add(Time(() => pool.Map(Tasks.Identity, Enumerable.Range(0, _mapN), cs)));
                }
            }

            foreach (var (label, samples) in times)
            {
                f["map:" + label] = Stats.Median(samples);
            }

            return f;
        }),
    ];

    public override Figures FromPython(JsonElement json)
    {
        var f = new Figures();
        foreach (string part in new[] { "cpu", "map" })
        {
            foreach (var p in json.GetProperty(part).EnumerateObject())
            {
                f[part + ":" + (p.Name == "None" ? "auto" : p.Name)] = p.Value.GetDouble();
            }
        }

        return f;
    }

    public override void Report(WorkloadResult r, Settings s)
    {
        string Describe(Column c, string part, out double ratio)
        {
            double auto = c.Median(part + ":auto");
            var fixedTimes = c.Samples.SelectMany(x => x.Keys).Distinct()
                .Where(k => k.StartsWith(part + ":", StringComparison.Ordinal) && k != part + ":auto")
                .Select(k => (Key: k[(part.Length + 1)..], T: c.Median(k))).ToList();
            if (fixedTimes.Count == 0 || double.IsNaN(auto))
            {
                ratio = double.NaN;
                return "—";
            }

            var best = fixedTimes.MinBy(x => x.T);
            ratio = best.T / auto;
            double percent = ((auto / best.T) - 1) * 100;
            return $"{part}: auto {Stats.Seconds(auto)}, best fixed {Stats.Seconds(best.T)} (chunksize {best.Key}), auto {Stats.F(Math.Abs(percent), 0)}% {(percent > 0 ? "slower" : "faster")}";
        }

        foreach (string col in new[] { WorkloadResult.Pool, WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Line(col, c => Describe(c, "cpu", out _) + "; " + Describe(c, "map", out _));
        }

        if (r.Columns.TryGetValue(WorkloadResult.Pool, out var pool) && pool.Samples.Count > 0)
        {
            string cpu = Describe(pool, "cpu", out double cpuRatio);
            string map = Describe(pool, "map", out double mapRatio);
            r.Target("W2 shape: auto within 10% of best fixed", 1.10 * cpuRatio, 1, cpu);
            r.Target("W3 shape: auto within 10% of best fixed", 1.10 * mapRatio, 1, map);
            r.Notes.Add("Full sweep (median seconds per Map), Pool: " + string.Join("; ", new[] { "cpu", "map" }.Select(part =>
                part + " " + string.Join(", ", pool.Samples.SelectMany(x => x.Keys).Distinct().Where(k => k.StartsWith(part + ":", StringComparison.Ordinal))
                    .Select(k => $"{k[(part.Length + 1)..]}={Stats.Seconds(pool.Median(k))}")))) + ".");
        }
        else
        {
            r.Target("W2 shape: auto within 10% of best fixed", double.NaN, 1, "not measured");
            r.Target("W3 shape: auto within 10% of best fixed", double.NaN, 1, "not measured");
        }

        r.Notes.Add($"CPU part: {_cpuN:N0} burn tasks of ~2 ms, chunksizes up to n/2; map part: W3's identity over {_mapN:N0} ints, the chunksizes timed in turn, {MapRepeats} passes per round (median); chunksizes auto, 1, 4, 16, … 262144 " +
            $"(map: only those giving at most {MaxMapChunks:N0} chunks; pool_bench.py's sweep uses 1,000 burn tasks and 200,000 map items). " +
            "A warm figure by design (every chunksize on one pool in one fresh process, after a Map of each function). Automatic: a known length gets guided chunks, n / (4 × processes) at first (Python's rule), shrinking towards the end, at most 262,144 items (8,192 when arguments or results are objects), and about 10 ms of work once the function's cost per task is measured.");
    }

    private static string Label(int? cs) => cs?.ToString(CultureInfo.InvariantCulture) ?? "auto";
}
