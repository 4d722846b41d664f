using System.Diagnostics;
using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>W8: new Pool(2) to the first Apply result.</summary>
internal sealed class StartupWorkload : Workload
{
    private int _reps;

    public override string Id => "W8";

    public override string Title => "new Pool(2) to the first Apply result";

    public override string? PythonWorkload => "startup";

    public override int Rounds(Settings s) => CheapRounds(s);

    public override int PythonRounds(Settings s) => CheapRounds(s);

    public override void Prepare(Settings s) => _reps = (int)s.Size(5, 3);

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (null, null, _reps, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, g => Run(g, () => new Pool(s.Processes))),
        (WorkloadResult.Threaded, g => Run(g, () => new ThreadedPool(s.Processes))),
        (WorkloadResult.DotNet, _ => new Figures { ["s"] = Stats.Median(Enumerable.Range(0, _reps).Select(_ => Children.ChildStartToFirstByte()).ToArray()) }),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "s", "warm_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        var h = Headline(r, "new Pool(2) → first result", "s", higherIsBetter: false, Stats.Seconds, spawnOnly: true, target: 1);
        r.Line(WorkloadResult.Threaded, c => $"{Stats.Seconds(c.Median("s"))} first, {Stats.Seconds(c.Median("warm_s"))} warm");
        r.Line(WorkloadResult.DotNet, c => $"a bare .NET child process started and answering 1 byte over a Unix socket: {Stats.Seconds(c.Median("s"))}", "Floor");
        r.Line(WorkloadResult.PyFork, c => $"{Stats.Seconds(c.Median("s"))} first, {Stats.Seconds(c.Median("warm_s"))} warm");
        r.Target("no slower than Python spawn (first pool)", h.RatioCold, 1, $"Pool {Stats.Seconds(h.OursCold)} vs Python spawn {Stats.Seconds(h.PythonCold)} ({Stats.Ratio(h.RatioCold)})");
        r.Notes.Add($"From `new Pool({s.Processes})` to the result of `Apply(Identity, 1)`: the first pool of a fresh process is the primary figure, the median of {_reps - 1} more pools in that process the warm one; " +
            "each closed and joined outside the timing. A .NET worker is a fresh `dotnet exec` of the application (the counterpart of Python's spawn; .NET has no fork).");
    }

    private Figures Run(Guard g, Func<IPool> create)
    {
        var samples = new double[_reps];
        for (int i = 0; i < _reps; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var pool = g.Track(create());
            pool.Apply(Tasks.Identity, 1);
            samples[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            pool.Close();
            pool.Join();
            pool.Dispose();
        }

        return new Figures { ["s"] = samples[0], ["warm_s"] = Stats.Median(samples.Skip(1)) };
    }
}
