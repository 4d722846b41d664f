using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>
/// M1 and M2: synchronous round trips through a Manager proxy from the parent process, in pairs
/// (acquire + release, put + get), as pool_bench.py's <c>manager_lock</c> and <c>manager_queue</c>.
/// </summary>
internal abstract class ManagerPairsWorkload : Workload
{
    private static readonly TimeSpan s_minTimed = TimeSpan.FromSeconds(0.2);
    private int _n;

    /// <summary>What one pair is, for the notes.</summary>
    protected abstract string PairCode { get; }

    /// <summary>The Python side of the same pair, for the notes.</summary>
    protected abstract string PythonPairCode { get; }

    public override void Prepare(Settings s) => _n = (int)s.Size(20_000, 5_000);

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (_n, null, null, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, _ =>
        {
            using var manager = new Managers.Manager();
            Action pair = CreatePair(manager);

            // The first n pairs of the process are the primary figure (the proxy and client code JIT-compile then).
            double first = Time(() =>
            {
                for (int i = 0; i < _n; i++)
                {
                    pair();
                }
            });

            // Batches of n pairs until at least 0.2 s has passed: on shared memory n pairs take well under a
            // millisecond, too short a time to measure alone.
            long pairs = 0;
            double t = Time(() =>
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                do
                {
                    for (int i = 0; i < _n; i++)
                    {
                        pair();
                    }

                    pairs += _n;
                }
                while (clock.Elapsed < s_minTimed);
            });
            return new Figures { ["pairs_per_s"] = _n / first, ["warm_pairs_per_s"] = pairs / t };
        }),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "pairs_per_s", "warm_pairs_per_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        var h = Headline(r, Title.Replace("Manager ", string.Empty, StringComparison.Ordinal), "pairs_per_s", higherIsBetter: true, v => Stats.Rate(v)[..^2].TrimEnd() + " pairs/s", target: 5);
        r.Target("≥ 5x Python's Manager (first pairs)", h.RatioCold, 5, $"{Stats.Ratio(h.RatioCold)} (Manager {Stats.Rate(h.OursCold)} / Python {h.PythonColdMethod} {Stats.Rate(h.PythonCold)})");
        r.Notes.Add($"{_n:N0} pairs of `{PairCode}`, one after another from the parent process through a proxy (Python: `{PythonPairCode}`), on a fresh manager in a fresh process; " +
            "the first n pairs are the primary figure (Python's too, no warm-up). On Linux the .NET Lock and Queue work on shared memory mapped from the manager (one round trip on first use, then none unless a call must wait); " +
            "each Python call is a synchronous round trip to its manager process (forked or spawned). " +
            $"Warm = .NET: batches of {_n:N0} until at least {s_minTimed.TotalSeconds} s has passed; Python: a second n pairs.");
    }

    /// <summary>Creates the shared object on <paramref name="manager"/> and returns one checked pair of calls on its proxy.</summary>
    protected abstract Action CreatePair(Managers.Manager manager);
}
