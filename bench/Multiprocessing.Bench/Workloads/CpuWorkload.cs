using System.Globalization;
using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>W2: 1,000 CPU-bound tasks of about 2 ms each; the pool's first figure counts its start-up.</summary>
internal sealed class CpuWorkload : Workload
{
    private int _n;
    private int _k;

    public override string Id => "W2";

    public override string Title => "CPU-bound: 1,000 tasks of ~2 ms (LCG loop `burn`)";

    public override string? PythonWorkload => "cpu";

    public override string? State => _k.ToString(CultureInfo.InvariantCulture);

    public override int PythonRounds(Settings s) => 1;

    public override void Prepare(Settings s)
    {
        _n = (int)s.Size(1000, 200);
        _k = Tasks.CalibrateK();
    }

    // Every child uses the parent's K, so that serial, Parallel.For and the pool burn the same work.
    public override void PrepareChild(Settings s, string? state)
    {
        _n = (int)s.Size(1000, 200);
        _k = int.Parse(state!, CultureInfo.InvariantCulture);
        Tasks.SetK(_k);
    }

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (_n, null, null, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.DotNet, _ =>
        {
            var f = new Figures();
            var serial = new int[_n];
            f["serial_s"] = Time(() =>
            {
                for (int i = 0; i < serial.Length; i++)
                {
                    serial[i] = Tasks.Burn(i);
                }
            });
            f["checksum"] = Checksum(serial);

            foreach (string prefix in new[] { string.Empty, "warm_" })
            {
                var parallel = new int[_n];
                f[prefix + "parallel_for_s"] = Time(() => Parallel.For(0, _n, i => parallel[i] = Tasks.Burn(i)));
                Check(parallel, f);
            }

            return f;
        }),
        (WorkloadResult.Pool, g => RunPool(g, () => new Pool(Options(s)))),
        (WorkloadResult.Threaded, g => RunPool(g, () => new ThreadedPool(Options(s)))),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "pool_s", "warm_pool_s", "serial_s", "task_ms");

    public override void Report(WorkloadResult r, Settings s)
    {
        double serial = r.Median(WorkloadResult.DotNet, "serial_s");
        double parallelFor = r.Median(WorkloadResult.DotNet, "parallel_for_s");
        var h = Headline(r, "CPU-bound 1,000 × 2 ms, start-up counted", "s", higherIsBetter: false, Stats.Seconds, pythonKey: "pool_s");
        r.Line(WorkloadResult.Pool, c => $"{Stats.Ratio(serial / c.Median("s"))} over serial counting start-up; warm Map {Stats.Ratio(serial / c.Median("warm_s"))}", "Pool speed-up");
        r.Line(WorkloadResult.Threaded, c => $"first call {Stats.Seconds(c.Median("s"))} ({Stats.Ratio(serial / c.Median("s"))}), warm {Stats.Seconds(c.Median("warm_s"))}");
        r.Line(WorkloadResult.DotNet, c => $"serial {Stats.Seconds(serial)} ({Stats.F(serial / _n * 1e3)} ms/task); Parallel.For {Stats.Seconds(parallelFor)} first ({Stats.Ratio(serial / parallelFor)}), {Stats.Seconds(c.Median("warm_parallel_for_s"))} warm");
        foreach (string py in new[] { WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Line(py, c => $"pool {Stats.Seconds(c.Median("pool_s"))} with start-up ({Stats.Ratio(c.Median("serial_s") / c.Median("pool_s"))} over its serial), warm {Stats.Seconds(c.Median("warm_pool_s"))} ({Stats.Ratio(c.Median("serial_s") / c.Median("warm_pool_s"))}); {Stats.F(c.Median("task_ms"))} ms/task");
        }

        double share = parallelFor / h.OursCold;
        r.Target("speed-up counting start-up ≥ 0.9 × Parallel.For's", share, 0.9,
            $"{Stats.F(share)} × (Pool {Stats.Ratio(serial / h.OursCold)} in {Stats.Seconds(h.OursCold)}; Parallel.For {Stats.Ratio(serial / parallelFor)})");
        r.Notes.Add($"{_n:N0} tasks; K = {_k:N0} LCG steps, calibrated once in the parent to ~2 ms per task and given to every child (Python calibrates its own K to 2 ms of Python). " +
            "Pool's first figure is from `new Pool(options)` to the results of its first `Map(Burn, range)` (automatic chunksize), as a program that makes a pool for one job; warm = a second Map on that pool. " +
            "Serial and Parallel.For run in their own fresh process; results checked.");
    }

    private static double Checksum(int[] results) => results.Aggregate(0L, (a, x) => a + x);

    private PoolOptions Options(Settings s) => new() { Processes = s.Processes, Initializer = (Action<int>)Tasks.SetK, InitArgs = [_k] };

    private Figures RunPool(Guard g, Func<IPool> create)
    {
        var f = new Figures();
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        using var pool = g.Track(create());
        var results = pool.Map(Tasks.Burn, Enumerable.Range(0, _n));
        f["s"] = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds;
        f["checksum"] = Checksum([.. results]);
        f["warm_s"] = Time(() => results = pool.Map(Tasks.Burn, Enumerable.Range(0, _n)));
        Check([.. results], f);
        return f;
    }

    private static void Check(int[] results, Figures f)
    {
        double sum = Checksum(results);
        if (f.TryGetValue("checksum", out double seen) && seen != sum)
        {
            throw new InvalidOperationException("Results differ from the first call's.");
        }

        f["checksum"] = sum;
    }
}
