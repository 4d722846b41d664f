using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>W5: ApplyAsync × 100,000, then Get on each.</summary>
internal sealed class ApplyAsyncWorkload : Workload
{
    private int _n;

    public override string Id => "W5";

    public override string Title => "ApplyAsync × 100,000, then Get() each";

    public override string? PythonWorkload => "apply_async";

    public override void Prepare(Settings s) => _n = (int)s.Size(100_000, 10_000);

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (_n, null, null, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, g => RunPool(g.Track(new Pool(s.Processes)))),
        (WorkloadResult.Threaded, g => RunPool(g.Track(new ThreadedPool(s.Processes)))),
        (WorkloadResult.DotNet, _ =>
        {
            var f = new Figures();
            f["tasks_per_s"] = _n / Time(() => Run(_n));
            f["warm_tasks_per_s"] = _n / Time(() => Run(_n));
            return f;

            static void Run(int n)
            {
                var tasks = new Task<int>[n];
                for (int i = 0; i < n; i++)
                {
                    int x = i;
                    tasks[i] = Task.Run(() => Tasks.Identity(x));
                }

                long sum = 0;
                foreach (var task in tasks)
                {
                    sum += task.Result;
                }

                CheckSum(sum, n);
            }
        }),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "tasks_per_s", "warm_tasks_per_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        var h = Headline(r, "ApplyAsync × 100 k", "tasks_per_s", higherIsBetter: true, Stats.Rate, target: 10);
        r.Line(WorkloadResult.Threaded, c => $"first call {Stats.Rate(c.Median("tasks_per_s"))}, warm {Stats.Rate(c.Median("warm_tasks_per_s"))}");
        r.Line(WorkloadResult.DotNet, c => $"Task.Run {Stats.Rate(c.Median("tasks_per_s"))} first, {Stats.Rate(c.Median("warm_tasks_per_s"))} warm");
        r.Target("≥ 10x Python (first call, tasks/s)", h.RatioCold, 10, $"{Stats.Ratio(h.RatioCold)} (Pool {Stats.Rate(h.OursCold)} / Python {h.PythonColdMethod} {Stats.Rate(h.PythonCold)})");
        r.Notes.Add($"{_n:N0} × `pool.ApplyAsync(Identity, i)`, then `.Get()` on each in order, the sum checked; the first batch of the process, then a warm one.");
    }

    private static void CheckSum(long sum, int n)
    {
        if (sum != (long)n * (n - 1) / 2)
        {
            throw new InvalidOperationException("ApplyAsync returned the wrong results.");
        }
    }

    private Figures RunPool(IPool pool)
    {
        using (pool)
        {
            WaitForWorkers(pool);
            var f = new Figures();
            f["tasks_per_s"] = _n / Time(() => Run(pool, _n));
            f["warm_tasks_per_s"] = _n / Time(() => Run(pool, _n));
            return f;
        }
    }

    private static void Run(IPool pool, int n)
    {
        var results = new AsyncResult<int>[n];
        for (int i = 0; i < n; i++)
        {
            results[i] = pool.ApplyAsync(Tasks.Identity, i);
        }

        long sum = 0;
        foreach (var r in results)
        {
            sum += r.Get();
        }

        CheckSum(sum, n);
    }
}
