using System.Globalization;
using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>
/// W11: 400 tasks of heavy-tailed durations (lognormal, clipped to 1–200 ms, fixed seed), as sleeps and as CPU
/// spins, with Map automatic, Map chunksize 1 and ImapUnordered: the makespan against greedy list scheduling.
/// </summary>
internal sealed class UnevenWorkload : Workload
{
    private const double MedianMs = 3;
    private const double Sigma = 1.2;
    private static readonly string[] s_kinds = ["sleep", "spin"];
    private static readonly string[] s_modes = ["auto", "1", "unordered"];
    private double[] _durations = [];
    private string _file = string.Empty;

    public override string Id => "W11";

    public override string Title => "Uneven tasks: 400 heavy-tailed durations, makespan vs greedy";

    public override string? PythonWorkload => "uneven";

    public override string? State => _file;

    // One round (six fresh processes, each a first call and a warm repeat) keeps the full run near five minutes.
    public override int Rounds(Settings s) => 1;

    public override int PythonRounds(Settings s) => 1;

    public override void Prepare(Settings s)
    {
        _durations = Durations((int)s.Size(400, 200));
        _file = Path.Combine(s.WorkDirectory, "durations.txt");
        File.WriteAllLines(_file, _durations.Select(d => d.ToString("R", CultureInfo.InvariantCulture)));
    }

    public override void PrepareChild(Settings s, string? state) =>
        _durations = [.. File.ReadAllLines(state!).Select(l => double.Parse(l, CultureInfo.InvariantCulture))];

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (null, null, s.Quick ? 1 : 2, null);

    public override IReadOnlyList<string> PythonExtra(Settings s) => ["--durations", _file];

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
        [.. from kind in s_kinds from mode in s_modes select (Column(kind, mode), (Func<Guard, Figures>)(g => Run(g, s, kind, mode)))];

    public override Figures FromPython(JsonElement json)
    {
        // With one rep (--quick) pool_bench.py's warm figure is the first again: not a warm figure.
        bool warm = Number(json, "reps") > 1;
        var f = new Figures();
        foreach (string kind in s_kinds)
        {
            foreach (string mode in s_modes)
            {
                f[$"{kind}:{mode}"] = Number(json, $"{kind}:{mode}");
                f[$"warm_{kind}:{mode}"] = warm ? Number(json, $"warm_{kind}:{mode}") : double.NaN;
            }
        }

        return f;
    }

    public override void Report(WorkloadResult r, Settings s)
    {
        double greedy = Greedy(_durations, s.Processes, lpt: false);
        double lpt = Greedy(_durations, s.Processes, lpt: true);
        double lower = Math.Max(_durations.Sum() / s.Processes, _durations.Max()) / 1e3;
        foreach (string kind in s_kinds)
        {
            var vsGreedy = new List<string>();
            var vsPython = new List<string>();
            double worstGreedy = 0;
            double worstPython = double.PositiveInfinity;
            foreach (string mode in s_modes)
            {
                var col = r.Columns.GetValueOrDefault(Column(kind, mode));
                double cold = col?.Median("s") ?? double.NaN;
                double warm = col?.Median("warm_s") ?? double.NaN;
                var (pyCold, coldMethod) = BestPython(r, $"{kind}:{mode}", higherIsBetter: false);
                var (pyWarm, warmMethod) = BestPython(r, $"warm_{kind}:{mode}", higherIsBetter: false);
                var h = new Headline(Id, $"uneven {kind}, {Label(mode)}", Stats.Seconds, false, cold, warm, pyCold, coldMethod, pyWarm, warmMethod) { TargetRatio = 1 };
                r.Headlines.Add(h);
                worstGreedy = Math.Max(worstGreedy, cold / greedy);
                worstPython = Math.Min(worstPython, h.RatioCold);
                vsGreedy.Add($"{Short(mode)} {Stats.Ratio(cold / greedy)}");
                vsPython.Add($"{Short(mode)} {Stats.Ratio(h.RatioCold)}");
            }

            r.Target($"{kind}: makespan ≤ 1.1 × greedy, each mode", 1.10 / worstGreedy, 1, string.Join(", ", vsGreedy) + $" × greedy {Stats.Seconds(greedy)}");
            r.Target($"{kind}: no slower than Python, each mode", worstPython, 1, "Python / ours: " + string.Join(", ", vsPython));
        }

        r.Notes.Add($"{_durations.Length} durations, lognormal (median {MedianMs} ms, σ = {Sigma}) clipped to 1–200 ms, from xorshift64 (seed 0x{Seed:X}) and Box–Muller, written to one file that C# and Python both read: " +
            $"total {Stats.Seconds(_durations.Sum() / 1e3)}, longest {Stats.G(_durations.Max())} ms, {_durations.Count(d => d >= 50)} of ≥ 50 ms. " +
            $"Bound = in-order greedy list scheduling over {s.Processes} machines (each task, in input order, to the machine that frees first: what an ideal dispatcher with chunksize 1 achieves without reordering) = {Stats.Seconds(greedy)}; " +
            $"for reference LPT (longest first) {Stats.Seconds(lpt)}, and the lower bound max(total / {s.Processes}, longest) {Stats.Seconds(lower)}. " +
            "Sleep = `Thread.Sleep(ms)` / `time.sleep`; spin = busy loop until the thread's own CPU clock (CLOCK_THREAD_CPUTIME_ID, Python's `time.thread_time()`) has advanced by ms. " +
            "Modes: `Map(f, d)` automatic chunksize, `Map(f, d, chunksize: 1)`, `ImapUnordered(f, d)` drained. Each C# mode runs in its own fresh process (first call, then a warm repeat on the same pool); " +
            "Python runs the six in one interpreter, each on a fresh pool.");
    }

    private static string Column(string kind, string mode) => $"Pool {kind} {mode}";

    private static string Short(string mode) => mode switch { "auto" => "auto", "1" => "cs 1", _ => "unordered" };

    private static string Label(string mode) => mode switch { "auto" => "Map auto", "1" => "Map cs 1", _ => "ImapUnordered" };

    /// <summary>The fixed seed of the duration generator (the word list's).</summary>
    private const ulong Seed = 0x9E3779B97F4A7C15;

    /// <summary>Lognormal durations in ms, clipped to 1–200, rounded to 0.01 ms so that the file round-trips exactly.</summary>
    private static double[] Durations(int n)
    {
        ulong x = Seed;
        double Uniform()
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            return ((x >> 11) + 0.5) / (1UL << 53);
        }

        var d = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z = Math.Sqrt(-2 * Math.Log(Uniform())) * Math.Cos(2 * Math.PI * Uniform());
            d[i] = Math.Round(Math.Clamp(MedianMs * Math.Exp(Sigma * z), 1, 200), 2);
        }

        return d;
    }

    /// <summary>List scheduling over <paramref name="machines"/>: in input order, or longest first (LPT); seconds.</summary>
    private static double Greedy(double[] durationsMs, int machines, bool lpt)
    {
        var free = new PriorityQueue<int, double>();
        for (int m = 0; m < machines; m++)
        {
            free.Enqueue(m, 0);
        }

        double makespan = 0;
        foreach (double d in lpt ? durationsMs.OrderByDescending(v => v) : durationsMs.AsEnumerable())
        {
            free.TryDequeue(out int m, out double at);
            makespan = Math.Max(makespan, at + d);
            free.Enqueue(m, at + d);
        }

        return makespan / 1e3;
    }

    private Figures Run(Guard g, Settings s, string kind, string mode)
    {
        Func<double, double> task = kind == "sleep" ? Tasks.SleepMs : Tasks.SpinMs;
        using var pool = g.Track(new Pool(s.Processes));
        WaitForWorkers(pool);
        var f = new Figures();
        foreach (string prefix in s.Quick ? [string.Empty] : new[] { string.Empty, "warm_" })
        {
            IReadOnlyList<double>? results = null;
            f[prefix + "s"] = Time(() => results = mode switch
            {
                "auto" => pool.Map(task, _durations),
                "1" => pool.Map(task, _durations, chunksize: 1),
                _ => [.. pool.ImapUnordered(task, _durations)],
            });
            if (!results!.Order().SequenceEqual(_durations.Order()))
            {
                throw new InvalidOperationException($"W11 {kind} {mode} returned the wrong results.");
            }
        }

        return f;
    }
}
