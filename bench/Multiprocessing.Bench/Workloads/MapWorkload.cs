using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>W3: Map of an identity function over 2 M ints, automatic chunksize; the parent's CPU per item.</summary>
internal sealed class MapWorkload : Workload
{
    private int _n;

    public override string Id => "W3";

    public override string Title => "Map identity over 2 M ints (automatic chunksize)";

    public override string? PythonWorkload => "map";

    public override int Rounds(Settings s) => CheapRounds(s);

    public override int PythonRounds(Settings s) => CheapRounds(s);

    public override void Prepare(Settings s) => _n = (int)s.Size(2_000_000, 500_000);

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (_n, null, null, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, g => RunPool(g.Track(new Pool(s.Processes)))),
        (WorkloadResult.Threaded, g => RunPool(g.Track(new ThreadedPool(s.Processes)))),
        (WorkloadResult.DotNet, _ =>
        {
            var f = new Figures();
            foreach (string prefix in new[] { string.Empty, "warm_" })
            {
                int[]? serial = null;
                f[prefix + "serial"] = _n / Time(() => serial = [.. Enumerable.Range(0, _n).Select(Tasks.Identity)]);
                Check(serial!);
            }

            foreach (string prefix in new[] { string.Empty, "warm_" })
            {
                int[]? plinq = null;
                f[prefix + "plinq"] = _n / Time(() => plinq = Enumerable.Range(0, _n).AsParallel().AsOrdered().Select(Tasks.Identity).ToArray());
                Check(plinq!);
            }

            return f;
        }),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "items_per_s", "warm_items_per_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        var h = Headline(r, "Map 2 M ints", "items_per_s", higherIsBetter: true, Stats.Rate, target: 5);
        r.Line(WorkloadResult.Threaded, c => $"first call {Stats.Rate(c.Median("items_per_s"))}, warm {Stats.Rate(c.Median("warm_items_per_s"))}");
        r.Line(WorkloadResult.DotNet, c => $"serial LINQ {Stats.Rate(c.Median("serial"))} first, {Stats.Rate(c.Median("warm_serial"))} warm; PLINQ {Stats.Rate(c.Median("plinq"))} first, {Stats.Rate(c.Median("warm_plinq"))} warm");
        r.Target("≥ 5x Python (first call, items/s)", h.RatioCold, 5, $"{Stats.Ratio(h.RatioCold)} (Pool {Stats.Rate(h.OursCold)} / Python {h.PythonColdMethod} {Stats.Rate(h.PythonCold)})");

        // How cost grows: the parent's CPU per item, and the core count at which one caller thread saturates.
        double Ns(string key) => r.Median(WorkloadResult.Pool, key) / _n * 1e9;
        double parent = Ns("warm_map_cpu_s");
        double caller = Ns("warm_map_thread_cpu_s");
        double workers = Ns("warm_map_workers_cpu_s");
        double perWorker = workers;
        r.Analysis.Add($"**W3 cost per item** (Map of {_n:N0} small items, identity; warm call, medians; the first call in brackets): the parent used {Stats.G(parent)} ns of CPU per item ({Stats.G(Ns("map_cpu_s"))}), " +
            $"of which the calling thread — which cuts the input into chunks and serializes every chunk before the first is sent — {Stats.G(caller)} ns ({Stats.G(Ns("map_thread_cpu_s"))}); the rest is the per-worker reader threads that decode results, and the GC. " +
            $"The workers used {Stats.G(workers)} ns per item between them ({Stats.G(Ns("map_workers_cpu_s"))}). " +
            $"A worker spends about {Stats.G(perWorker)} ns + t per item for a task of t ns, and one caller thread can feed 1 / {Stats.G(caller)} ns = {Stats.Rate(1e9 / caller)}; " +
            $"so with N workers the caller thread becomes the bottleneck once N > ({Stats.G(perWorker)} ns + t) / {Stats.G(caller)} ns: " +
            $"at N ≈ {Stats.F(perWorker / caller, 1)} for an identity{(perWorker / caller < s.Processes ? $" (fewer than this pool's {s.Processes} workers: the caller's share already limits Map of tiny items here)" : string.Empty)}, at N ≈ {Stats.F((perWorker + 1000) / caller, 0)} for a 1 µs task, " +
            $"at N ≈ {Stats.F((perWorker + 10_000) / caller, 0)} for a 10 µs task. Counting all the parent's threads ({Stats.G(parent)} ns per item), the parent needs a core of its own once N ≈ ({Stats.G(perWorker)} ns + t) / {Stats.G(parent)} ns: " +
            $"≈ {Stats.F((perWorker + 1000) / parent, 0)} workers for a 1 µs task; below that it shares the cores with the workers (on this {s.Cores}-core machine its {Stats.G(parent)} ns per item are {Stats.F(100 * parent / (parent + perWorker), 0)}% of an identity Map's CPU). " +
            "What the design does about it at this commit: result decoding already runs on one reader thread per worker, so it grows with the pool; the arguments are serialized by the one caller thread, " +
            "all chunks up front (`PoolBase.Map`), which bounds Map of small items at the caller's rate. The remedy the issue names — serializing chunks lazily as workers take them, on the threads that send them " +
            "(the readers refilling credit), or in parallel — would spread that cost the same way; until then, larger chunks (the automatic chunksize) keep the per-chunk part of it small but not the per-item part.");
        r.Notes.Add($"{_n:N0} items, `pool.Map(Identity, Enumerable.Range(0, n))` (Python: `pool.map(identity, range(n))`), the first Map of the process after the workers are up; warm = a second one. Results checked. " +
            "Parent CPU from getrusage(RUSAGE_SELF), the caller thread's from CLOCK_THREAD_CPUTIME_ID, the workers' from /proc/PID/stat (10 ms ticks).");
    }

    private Figures RunPool(IPool pool)
    {
        using (pool)
        {
            int[] pids = WaitForWorkers(pool);
            var f = new Figures();
            foreach (string prefix in new[] { string.Empty, "warm_" })
            {
                var start = Probe.Now(pids);
                var results = pool.Map(Tasks.Identity, Enumerable.Range(0, _n));
                Probe.Now(pids).Since(start, f, prefix + "map");
                f[prefix + "items_per_s"] = _n / f[prefix + "map_s"];
                Check(results);
            }

            return f;
        }
    }

    private void Check(IReadOnlyList<int> results)
    {
        if (results.Count != _n || (_n > 0 && (results[_n - 1] != _n - 1 || results[_n / 2] != _n / 2)))
        {
            throw new InvalidOperationException("Map returned the wrong results.");
        }
    }
}
