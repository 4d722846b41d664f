using System.Diagnostics;
using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>How big and how often: the full run or <c>--quick</c>.</summary>
internal sealed record Settings(
    bool Quick,
    int Processes,
    int Rounds,
    TimeSpan CallTimeout,
    TimeSpan PythonTimeout,
    PythonRunner? Python,
    string WorkDirectory,
    string RepoRoot)
{
    public int Cores { get; } = Environment.ProcessorCount;

    public long Size(long full, long quick) => Quick ? quick : full;
}

/// <summary>A workload: C# variants (each run in a fresh child process), the matching pool_bench.py run, and how to read the results.</summary>
internal abstract class Workload
{
    public abstract string Id { get; }

    public abstract string Title { get; }

    /// <summary>The pool_bench.py workload name, or null if Python is not run here.</summary>
    public virtual string? PythonWorkload => null;

    /// <summary>False for a variant that is itself a separate program (the main job), run from the parent.</summary>
    public virtual bool InChild => true;

    /// <summary>False for a workload too costly for <c>--quick</c> (it still runs there when <c>--only</c> names it).</summary>
    public virtual bool InQuick => true;

    /// <summary>What the parent's <see cref="Prepare"/> decided that a child must reuse (a calibrated K, a file), or null.</summary>
    public virtual string? State => null;

    /// <summary>Python rounds: two by default (a fresh interpreter each, its first call the figure), to keep the full run near five minutes.</summary>
    public virtual int PythonRounds(Settings s) => Math.Min(2, s.Rounds);

    public virtual int Rounds(Settings s) => s.Rounds;

    /// <summary>
    /// Rounds for a workload whose rounds take a few seconds: 2n + 1 of them (five by default), so that its
    /// first-call medians rest on more than two fresh processes; the round count asked for in --quick.
    /// </summary>
    protected static int CheapRounds(Settings s) => s.Quick ? s.Rounds : (2 * s.Rounds) + 1;

    /// <summary>Runs in the parent before the rounds.</summary>
    public virtual void Prepare(Settings s)
    {
    }

    /// <summary>Runs in each child before its variant; <paramref name="state"/> is the parent's <see cref="State"/>.</summary>
    public virtual void PrepareChild(Settings s, string? state) => Prepare(s);

    /// <summary>Runs in the parent after the rounds, however they ended: stops what <see cref="Prepare"/> started.</summary>
    public virtual void Finish()
    {
    }

    public abstract IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s);

    /// <summary>Extra pool_bench.py arguments: n, words, reps, chunksize, and any others as flag/value pairs.</summary>
    public virtual (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (null, null, null, null);

    public virtual IReadOnlyList<string> PythonExtra(Settings s) => [];

    public abstract Figures FromPython(JsonElement json);

    public abstract void Report(WorkloadResult r, Settings s);

    /// <summary>
    /// Waits until every worker has run a task of a function the timed calls never use (<see cref="Tasks.WorkerPid"/>
    /// over <c>long</c>, through ApplyAsync), so that the pool is up but the timed call is made for the first time.
    /// Returns the workers' process ids (none for a ThreadedPool).
    /// </summary>
    public static int[] WaitForWorkers(IPool pool)
    {
        var seen = new Dictionary<int, int>();
        var clock = Stopwatch.StartNew();
        while (seen.Count < pool.Processes && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var pending = Enumerable.Range(0, 2 * pool.Processes).Select(i => pool.ApplyAsync(Tasks.WorkerPid, (long)i)).ToList();
            foreach (long named in pending.Select(r => r.Get()))
            {
                seen[(int)(named >> 32)] = (int)(uint)named;
            }
        }

        return pool is ThreadedPool ? [] : [.. seen.Values.Distinct()];
    }

    /// <summary><paramref name="n"/> × <c>pool.Apply(Identity, i)</c>, each timed alone: microseconds, sorted; results checked.</summary>
    protected static double[] ApplyRoundTrips(IPool pool, int n)
    {
        var samples = new double[n];
        for (int i = 0; i < n; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            int back = pool.Apply(Tasks.Identity, i);
            samples[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            if (back != i)
            {
                throw new InvalidOperationException("Apply returned the wrong result.");
            }
        }

        Array.Sort(samples);
        return samples;
    }

    protected static double Time(Action action)
    {
        long t0 = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    protected static double Number(JsonElement json, string name) => json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;

    protected static Figures Pick(JsonElement json, params string[] names)
    {
        var f = new Figures();
        foreach (string n in names)
        {
            f[n] = Number(json, n);
        }

        return f;
    }

    /// <summary>The faster of Python's two start methods for a figure.</summary>
    protected static (double Value, string Method) BestPython(WorkloadResult r, string key, bool higherIsBetter)
    {
        double fork = r.Median(WorkloadResult.PyFork, key);
        double spawn = r.Median(WorkloadResult.PySpawn, key);
        if (double.IsNaN(fork))
        {
            return (spawn, "spawn");
        }

        if (double.IsNaN(spawn))
        {
            return (fork, "fork");
        }

        bool forkBetter = higherIsBetter ? fork >= spawn : fork <= spawn;
        return forkBetter ? (fork, "fork") : (spawn, "spawn");
    }

    /// <summary>
    /// The headline row of a figure: Pool's first call and warm repeat against Python's best start method,
    /// first call with first call and warm with warm (keys <c>key</c> and <c>warm_key</c> on both sides).
    /// </summary>
    protected static Headline Headline(WorkloadResult r, string label, string key, bool higherIsBetter, Func<double, string> format, string? pythonKey = null, bool spawnOnly = false, double target = double.NaN)
    {
        pythonKey ??= key;
        (double, string) Py(string k) => spawnOnly ? (r.Median(WorkloadResult.PySpawn, k), "spawn") : BestPython(r, k, higherIsBetter);
        var (pyCold, coldMethod) = Py(pythonKey);
        var (pyWarm, warmMethod) = Py("warm_" + pythonKey);
        var h = new Headline(r.Id, label, format, higherIsBetter,
            r.Median(WorkloadResult.Pool, key), r.Median(WorkloadResult.Pool, "warm_" + key), pyCold, coldMethod, pyWarm, warmMethod)
        { TargetRatio = target };
        r.Headlines.Add(h);
        return h;
    }
}
