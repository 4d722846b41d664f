using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>W6: Apply round-trip latency, beside a raw 1-byte ping-pong between two processes.</summary>
internal sealed class LatencyWorkload : Workload
{
    private const int FloorWarmup = 200;
    private int _n;

    public override string Id => "W6";

    public override string Title => "Apply round-trip latency (p50 / p99)";

    public override string? PythonWorkload => "apply";

    public override int Rounds(Settings s) => CheapRounds(s);

    public override int PythonRounds(Settings s) => CheapRounds(s);

    public override void Prepare(Settings s) => _n = (int)s.Size(3000, 1000);

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (_n, null, null, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.DotNet, _ =>
        {
            double[] pipe = [.. Children.PingPongPipe(_n, FloorWarmup).Order()];
            double[] socket = [.. Children.PingPongSocket(_n, FloorWarmup).Order()];
            return new Figures
            {
                ["pipe_p50_us"] = Stats.Percentile(pipe, 50), ["pipe_p99_us"] = Stats.Percentile(pipe, 99),
                ["socket_p50_us"] = Stats.Percentile(socket, 50), ["socket_p99_us"] = Stats.Percentile(socket, 99),
            };
        }),
        (WorkloadResult.Pool, g => RunPool(g.Track(new Pool(s.Processes)))),
        (WorkloadResult.Threaded, g => RunPool(g.Track(new ThreadedPool(s.Processes)))),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "p50_us", "p99_us", "warm_p50_us", "warm_p99_us");

    public override void Report(WorkloadResult r, Settings s)
    {
        static string Us(double v) => Stats.G(v) + " µs";
        var h = Headline(r, "Apply p50, 3,000 calls", "p50_us", higherIsBetter: false, Us, target: 4);
        Headline(r, "Apply p99, 3,000 calls", "p99_us", higherIsBetter: false, Us);
        r.Line(WorkloadResult.Threaded, c => $"p50 / p99 {Stats.G(c.Median("p50_us"))} / {Stats.G(c.Median("p99_us"))} µs first, {Stats.G(c.Median("warm_p50_us"))} / {Stats.G(c.Median("warm_p99_us"))} µs warm");
        r.Line(WorkloadResult.DotNet, c =>
            $"1-byte ping-pong to a child process (p50 / p99): pipe {Stats.G(c.Median("pipe_p50_us"))} / {Stats.G(c.Median("pipe_p99_us"))} µs; Unix socket {Stats.G(c.Median("socket_p50_us"))} / {Stats.G(c.Median("socket_p99_us"))} µs", "Floor");
        double socket = r.Median(WorkloadResult.DotNet, "socket_p50_us");
        r.Target("p50 ≥ 4x Python's (first calls)", h.RatioCold, 4, $"{Stats.Ratio(h.RatioCold)} (Python {h.PythonColdMethod} {Us(h.PythonCold)} / Pool {Us(h.OursCold)})");
        r.Target("p50 ≤ 2 × bare Unix-socket ping-pong", 2 * socket / h.OursCold, 1.0, $"{Stats.Ratio(h.OursCold / socket)} the floor (Pool {Us(h.OursCold)}; socket ping-pong {Us(socket)}, same run)");
        r.Notes.Add($"{_n:N0} × `pool.Apply(Identity, i)`, each timed alone: the first {_n:N0} calls of the process (no warm-up), then {_n:N0} warm ones; nearest-rank percentiles, median over rounds. " +
            "The floor is this benchmark's own child mode (`--pingpong-child pipe|socket`), measured in the same run: the parent writes 1 byte and blocks until the child echoes it, " +
            $"over an anonymous pipe pair and over a Unix domain socket (the library's transport), after {FloorWarmup} warm-up round trips.");
    }

    private Figures RunPool(IPool pool)
    {
        using (pool)
        {
            WaitForWorkers(pool);
            var f = new Figures();
            foreach (string prefix in new[] { string.Empty, "warm_" })
            {
                double[] samples = ApplyRoundTrips(pool, _n);
                f[prefix + "p50_us"] = Stats.Percentile(samples, 50);
                f[prefix + "p99_us"] = Stats.Percentile(samples, 99);
            }

            return f;
        }
    }
}
