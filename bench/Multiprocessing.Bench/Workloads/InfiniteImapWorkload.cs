using System.Diagnostics;
using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>W9: Imap over an endless generator; the parent's peak memory after 10 M items.</summary>
internal sealed class InfiniteImapWorkload : Workload
{
    private const int Chunksize = 1000;
    private long _n;

    public override string Id => "W9";

    public override string Title => "Imap over an endless generator: parent peak RSS after 10 M items";

    public override string? PythonWorkload => "imap_infinite";

    public override int PythonRounds(Settings s) => 1;

    public override void Prepare(Settings s) => _n = s.Size(10_000_000, 1_000_000);

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (_n, null, null, Chunksize);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, g => Run(g, () => new Pool(s.Processes))),
        (WorkloadResult.Threaded, g => Run(g, () => new ThreadedPool(s.Processes))),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "peak_rss_mb", "baseline_rss_mb", "items_per_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        foreach (string col in new[] { WorkloadResult.Pool, WorkloadResult.Threaded, WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Line(col, c => $"{Stats.G(c.Max("peak_rss_mb"))} MB peak (baseline {Stats.G(c.Median("baseline_rss_mb"))} MB; {Stats.Rate(c.Median("items_per_s"))})");
        }

        double peak = r.Columns.TryGetValue(WorkloadResult.Pool, out var pool) ? pool.Max("peak_rss_mb") : double.NaN;
        r.Target("parent peak ≤ 100 MB", 100 / peak, 1, $"{Stats.G(peak)} MB (worst round)");
        r.Notes.Add($"`foreach (var x in pool.Imap(Identity, Naturals(), chunksize: {Chunksize}))`, stopped after {_n:N0} items; Naturals() never ends. " +
            "The child's peak RSS (VmHWM from /proc/self/status) is the pool parent's alone; baseline = VmHWM before the pool was created. " +
            $"Python: ru_maxrss, chunksize {Chunksize}. A memory figure: no warm repeat.");
    }

    private Figures Run(Guard g, Func<IPool> create)
    {
        double baseline = ProcInfo.PeakRssMb();
        using var pool = g.Track(create());
        WaitForWorkers(pool);
        long count = 0;
        long last = -1;
        long t0 = Stopwatch.GetTimestamp();
        foreach (int x in pool.Imap(Tasks.Identity, Tasks.Naturals(), Chunksize))
        {
            last = x;
            if (++count == _n)
            {
                break;
            }
        }

        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        if (last != _n - 1)
        {
            throw new InvalidOperationException($"Imap over an endless input returned {last} as item {_n - 1}.");
        }

        var f = new Figures { ["peak_rss_mb"] = ProcInfo.PeakRssMb(), ["baseline_rss_mb"] = baseline, ["items_per_s"] = _n / seconds };
        pool.Terminate();
        return f;
    }
}
