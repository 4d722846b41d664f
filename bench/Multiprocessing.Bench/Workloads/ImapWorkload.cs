using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>W4: Imap with chunksize 1 over 100,000 items.</summary>
internal sealed class ImapWorkload : Workload
{
    private int _n;

    public override string Id => "W4";

    public override string Title => "Imap, chunksize 1, over 100,000 items";

    public override string? PythonWorkload => "imap";

    public override void Prepare(Settings s) => _n = (int)s.Size(100_000, 20_000);

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (_n, null, null, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, g => RunPool(g.Track(new Pool(s.Processes)))),
        (WorkloadResult.Threaded, g => RunPool(g.Track(new ThreadedPool(s.Processes)))),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "items_per_s", "warm_items_per_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        var h = Headline(r, "Imap chunksize 1, 100 k", "items_per_s", higherIsBetter: true, Stats.Rate, target: 7);
        r.Line(WorkloadResult.Threaded, c => $"first call {Stats.Rate(c.Median("items_per_s"))}, warm {Stats.Rate(c.Median("warm_items_per_s"))}");
        r.Target("≥ 7x Python (first call, items/s)", h.RatioCold, 7, $"{Stats.Ratio(h.RatioCold)} (Pool {Stats.Rate(h.OursCold)} / Python {h.PythonColdMethod} {Stats.Rate(h.PythonCold)})");
        r.Notes.Add($"{_n:N0} items, `foreach (var x in pool.Imap(Identity, Enumerable.Range(0, n), chunksize: 1))`: one message per item each way; the first Imap of the process, then a warm one.");
    }

    private Figures RunPool(IPool pool)
    {
        using (pool)
        {
            WaitForWorkers(pool);
            var f = new Figures();
            f["items_per_s"] = _n / Time(() => Consume(pool, _n));
            f["warm_items_per_s"] = _n / Time(() => Consume(pool, _n));
            return f;
        }
    }

    private static void Consume(IPool pool, int n)
    {
        int expected = 0;
        foreach (int x in pool.Imap(Tasks.Identity, Enumerable.Range(0, n), chunksize: 1))
        {
            if (x != expected++)
            {
                throw new InvalidOperationException($"Imap returned {x} as item {expected - 1}.");
            }
        }

        if (expected != n)
        {
            throw new InvalidOperationException($"Imap returned {expected} items, expected {n}.");
        }
    }
}
