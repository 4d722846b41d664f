using System.Globalization;
using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>
/// C1: <see cref="Orleans.ClusterPool"/> on local clusters of 1, 2 and 3 silo processes (one worker each, silo i pinned
/// to core i mod the cores), against a local <see cref="Pool"/> of 1 and 2 workers: latency-bound tasks, CPU-bound
/// tasks, tiny tasks and Apply round trips. The silos start once per cluster size, in the parent, and every driver
/// (a fresh child process per column and round) connects to them.
/// </summary>
internal sealed class ClusterWorkload : Workload
{
    private const double SleepMs = 20;
    private static readonly string[] s_local = ["Pool, 1 worker", "Pool, 2 workers"];
    private static readonly string[] s_cluster = ["1 silo", "2 silos", "3 silos"];

    private readonly List<LocalCluster> _clusters = [];
    private readonly List<string> _started = [];
    private string? _failure;
    private string[] _addresses = [];
    private int _k;

    public override string Id => "C1";

    public override string Title => "ClusterPool on 1, 2 and 3 local silos against a local Pool";

    public override bool InQuick => false;

    public override string? State => _failure is not null ? "failed:" + _failure : string.Join('|', [_k.ToString(CultureInfo.InvariantCulture), .. _addresses]);

    private static (int Sleeps, int Burns, int Tiny, int Applies) Sizes(Settings s)
        => s.Quick ? (30, 200, 20_000, 200) : (60, 400, 100_000, 300);

    public override void Prepare(Settings s)
    {
        _k = Tasks.CalibrateK();
        try
        {
            for (int n = 1; n <= s_cluster.Length; n++)
            {
                var cluster = LocalCluster.Start(n, _k);
                _clusters.Add(cluster);
                _started.Add($"{n} silo{(n == 1 ? string.Empty : "s")} in {Stats.Seconds(cluster.StartSeconds)}, {(cluster.Pinned ? $"pinned to core{(n == 1 ? string.Empty : "s")} {string.Join(", ", cluster.Cores)}" : "not pinned (no taskset)")}");
                Console.WriteLine($"  C1 cluster of {_started[^1]}");
            }

            _addresses = [.. _clusters.Select(c => c.ToString())];
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            _failure = ex.Message;
            Finish();
        }
    }

    public override void PrepareChild(Settings s, string? state)
    {
        if (state!.StartsWith("failed:", StringComparison.Ordinal))
        {
            _failure = state["failed:".Length..];
            return;
        }

        string[] parts = state.Split('|');
        _k = int.Parse(parts[0], CultureInfo.InvariantCulture);
        _addresses = parts[1..];
        Tasks.SetK(_k);
    }

    public override void Finish()
    {
        foreach (var c in _clusters)
        {
            c.Dispose();
        }

        _clusters.Clear();
    }

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        .. s_local.Select((column, i) => (column, (Func<Guard, Figures>)(g => RunLocal(g, s, i + 1)))),
        .. s_cluster.Select((column, i) => (column, (Func<Guard, Figures>)(g => RunCluster(g, s, i + 1)))),
    ];

    public override Figures FromPython(JsonElement json) => [];

    public override void Report(WorkloadResult r, Settings s)
    {
        var (sleeps, burns, tiny, applies) = Sizes(s);
        string[] columns = [.. s_local, .. s_cluster];
        string Cell(string column, string key, Func<double, string> format)
        {
            var c = r[column];
            return c.Samples.Count == 0 ? c.Failure ?? "—" : $"{format(c.Median(key))} / {format(c.Median("warm_" + key))}";
        }

        string Rate(double seconds, int n) => Stats.Rate(n / seconds);
        var md = r.Section;
        md.Add("What one machine can show of the cluster path: its overhead against a local pool, and how throughput grows with silos when the work waits and when it computes. " +
               "Each cell is **first call / warm repeat** (medians over rounds), each column a fresh driver process; the silos are separate processes, started once per cluster size before the rounds and reused by every driver, so their own pools are warm after the first driver.");
        md.Add(string.Empty);
        md.Add("| Figure | " + string.Join(" | ", columns) + " |");
        md.Add("|---|" + string.Concat(columns.Select(_ => "--:|")));
        md.Add($"| Latency-bound: {sleeps} × {SleepMs:F0} ms sleep, tasks/s | " + string.Join(" | ", columns.Select(c => Cell(c, "sleep_s", v => Rate(v, sleeps)))) + " |");
        md.Add($"| CPU-bound: {burns} × ~2 ms `Burn`, tasks/s | " + string.Join(" | ", columns.Select(c => Cell(c, "cpu_s", v => Rate(v, burns)))) + " |");
        md.Add($"| Tiny tasks: Map of {tiny:N0} × `Identity` | " + string.Join(" | ", columns.Select(c => Cell(c, "tiny_s", Stats.Seconds))) + " |");
        md.Add($"| Apply round trip p50 ({applies} calls) | " + string.Join(" | ", columns.Select(c => Cell(c, "apply_p50_us", v => Stats.G(v) + " µs"))) + " |");
        md.Add($"| Driver start: client, pool, every silo's worker answered | — | — | " + string.Join(" | ", s_cluster.Select(c => Stats.Seconds(r.Median(c, "connect_s")))) + " |");
        md.Add(string.Empty);

        double Ratio(string a, string b, string key) => r.Median(a, key) / r.Median(b, key);
        md.Add($"- **Overhead, 1 silo against a local Pool of 1 worker** (first calls; above 1x the cluster is slower): latency-bound {Stats.Ratio(Ratio(s_cluster[0], s_local[0], "sleep_s"))}, CPU-bound {Stats.Ratio(Ratio(s_cluster[0], s_local[0], "cpu_s"))}, " +
               $"tiny tasks {Stats.Ratio(Ratio(s_cluster[0], s_local[0], "tiny_s"))} (warm {Stats.Ratio(Ratio(s_cluster[0], s_local[0], "warm_tiny_s"))}), Apply p50 {Stats.Ratio(Ratio(s_cluster[0], s_local[0], "apply_p50_us"))}.");
        md.Add($"- **Scaling with silos** (throughput against 1 silo, first calls): latency-bound {Stats.Ratio(Ratio(s_cluster[0], s_cluster[1], "sleep_s"))} with 2 silos, {Stats.Ratio(Ratio(s_cluster[0], s_cluster[2], "sleep_s"))} with 3; " +
               $"CPU-bound {Stats.Ratio(Ratio(s_cluster[0], s_cluster[1], "cpu_s"))} with 2, {Stats.Ratio(Ratio(s_cluster[0], s_cluster[2], "cpu_s"))} with 3 (a local Pool of 2 workers: {Stats.Ratio(Ratio(s_local[0], s_local[1], "cpu_s"))} over 1).");
        md.Add($"- Clusters started (in the parent, before the rounds, each silo with `taskset -c`; the local pools are not pinned): {string.Join("; ", _started.DefaultIfEmpty("none"))}.");
        md.Add(string.Empty);
        md.Add($"**What one {s.Cores}-core machine can and cannot show.** Latency-bound work (tasks that wait, as on I/O or a remote service) scales with the silos' workers whatever the cores, so 1, 2 and 3 silos can show the cluster spreading work and its per-chunk overhead. " +
               $"CPU-bound work can scale only to the cores: silos 1 and 2 are pinned to separate cores, so 2 silos can show at most 2x, and the driver, the Orleans messaging and every silo's runtime threads run on those same {s.Cores} cores, taking a share of them; " +
               "a third silo is pinned to core 0 beside the first and adds no core: what 3 silos gain over 2 on CPU-bound work here is the time a core would idle between one chunk's reply and the next chunk's arrival, filled by a second worker, not more compute. " +
               "Loopback is not a network: round trips, the grain call's overhead and bandwidth on real machines are larger, so the Apply p50 here is a floor. " +
               "What needs several machines and is not shown: CPU throughput beyond one machine's cores, a network's latency and bandwidth, and a lost machine (the tests SIGKILL a silo process instead).");
        if (_failure is not null)
        {
            md.Add(string.Empty);
            md.Add($"The clusters did not start: {_failure}.");
        }

        md.Add(string.Empty);

        r.Notes.Add($"Latency-bound: `Map(SleepMs, {sleeps} × {SleepMs:F0} ms)`; CPU-bound: `Map(Burn, range({burns}))` with W2's K = {_k:N0} (~2 ms here) in every worker; tiny: `Map(Identity, range({tiny:N0}))`; Apply: {applies} × `Apply(Identity, i)` timed alone, nearest-rank p50; automatic chunksize throughout. " +
                    "Each driver first waits until every silo's worker (or local worker) has run `WorkerPid(long)`; then each figure's first call is the first call of its task function in that process, and warm its repeat. " +
                    "Every silo runs a local pool of 1 worker and default Orleans settings on loopback (development clustering); C1 runs in the full run and with `--only C1`, not in `--quick`.");
    }

    private Figures RunLocal(Guard g, Settings s, int processes)
    {
        using var pool = g.Track(new Pool(new PoolOptions { Processes = processes, Initializer = (Action<int>)Tasks.SetK, InitArgs = [_k] }));
        WaitForWorkers(pool);
        return Measure(pool, s, new Figures());
    }

    private Figures RunCluster(Guard g, Settings s, int silos)
    {
        if (_failure is not null)
        {
            throw new InvalidOperationException(_failure);
        }

        using var driver = ClusterDriver.Connect(_addresses[silos - 1], silos);
        g.Track(driver.Pool);
        return Measure(driver.Pool, s, new Figures { ["connect_s"] = driver.ConnectSeconds });
    }

    private static Figures Measure(IPool pool, Settings s, Figures f)
    {
        var (sleeps, burns, tiny, applies) = Sizes(s);
        double[] waits = [.. Enumerable.Repeat(SleepMs, sleeps)];
        foreach (string prefix in new[] { string.Empty, "warm_" })
        {
            IReadOnlyList<double> slept = [];
            f[prefix + "sleep_s"] = Time(() => slept = pool.Map(Tasks.SleepMs, waits));
            Check(slept.Count == sleeps, "latency-bound");
        }

        long? checksum = null;
        foreach (string prefix in new[] { string.Empty, "warm_" })
        {
            IReadOnlyList<int> burnt = [];
            f[prefix + "cpu_s"] = Time(() => burnt = pool.Map(Tasks.Burn, Enumerable.Range(0, burns)));
            long sum = burnt.Aggregate(0L, (a, x) => a + x);
            Check(burnt.Count == burns && (checksum ??= sum) == sum, "CPU-bound");
        }

        foreach (string prefix in new[] { string.Empty, "warm_" })
        {
            IReadOnlyList<int> back = [];
            f[prefix + "tiny_s"] = Time(() => back = pool.Map(Tasks.Identity, Enumerable.Range(0, tiny)));
            Check(back.Count == tiny && back[^1] == tiny - 1, "tiny-task");
        }

        foreach (string prefix in new[] { string.Empty, "warm_" })
        {
            f[prefix + "apply_p50_us"] = Stats.Percentile(ApplyRoundTrips(pool, applies), 50);
        }

        return f;
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"FAILED: the {what} Map returned wrong results.");
        }
    }
}
