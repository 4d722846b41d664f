using System.Diagnostics;
using System.Text.Json;
using HashWords;

namespace Multiprocessing.Bench;

/// <summary>How big and how often: the full run or <c>--quick</c>.</summary>
internal sealed record Settings(
    bool Quick,
    int Processes,
    int Rounds,
    TimeSpan CallTimeout,
    TimeSpan PythonTimeout,
    PythonRunner? Python,
    string WorkDirectory)
{
    public int Cores { get; } = Environment.ProcessorCount;

    public long Size(long full, long quick) => Quick ? quick : full;
}

/// <summary>One variant's samples over the rounds, or why it has none.</summary>
internal sealed class Column
{
    public List<Figures> Samples { get; } = [];

    public string? Failure { get; set; }

    public double Median(string key) => Stats.Median(Samples.Where(f => f.ContainsKey(key)).Select(f => f[key]));

    public double Max(string key) => Samples.Where(f => f.ContainsKey(key)).Select(f => f[key]).DefaultIfEmpty(double.NaN).Max();
}

/// <summary>A target from the issue, evaluated.</summary>
internal sealed record TargetResult(string Workload, string Target, string Measured, bool? Met);

/// <summary>Everything measured for one workload, and how it reads.</summary>
internal sealed class WorkloadResult(string id, string title)
{
    public const string Pool = "Pool";
    public const string Threaded = "ThreadedPool";
    public const string DotNet = ".NET alternatives";
    public const string PyFork = "Python fork";
    public const string PySpawn = "Python spawn";

    public static readonly string[] CellColumns = [Pool, Threaded, DotNet, PyFork, PySpawn];

    public string Id { get; } = id;

    public string Title { get; } = title;

    public Dictionary<string, Column> Columns { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Cells { get; } = new(StringComparer.Ordinal);

    public List<TargetResult> Targets { get; } = [];

    public List<string> Notes { get; } = [];

    public string LoadBefore { get; set; } = string.Empty;

    public string LoadAfter { get; set; } = string.Empty;

    public TimeSpan Elapsed { get; set; }

    public Column this[string column] => Columns.TryGetValue(column, out var c) ? c : Columns[column] = new Column();

    public double Median(string column, string key) => Columns.TryGetValue(column, out var c) ? c.Median(key) : double.NaN;

    /// <summary>The cell for a column: its text, or why it has none.</summary>
    public string Text(string column, Func<Column, string> format)
    {
        if (!Columns.TryGetValue(column, out var c))
        {
            return "—";
        }

        if (c.Samples.Count == 0)
        {
            return c.Failure ?? "—";
        }

        return format(c) + (c.Failure is { } f ? $" ({f} in a later round)" : string.Empty);
    }

    public void Target(string target, double ratio, double threshold, string measured)
        => Targets.Add(new TargetResult(Id, target, measured, double.IsNaN(ratio) ? null : ratio >= threshold));
}

/// <summary>A workload: C# variants, the matching pool_bench.py run, and how to read the results.</summary>
internal abstract class Workload
{
    public abstract string Id { get; }

    public abstract string Title { get; }

    /// <summary>The pool_bench.py workload name, or null if Python is not run here.</summary>
    public virtual string? PythonWorkload => null;

    public virtual int PythonRounds(Settings s) => s.Rounds;

    public virtual void Prepare(Settings s)
    {
    }

    public abstract IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s);

    /// <summary>Drops what <see cref="Prepare"/> made once the workload is reported, so later workloads run on a clean heap.</summary>
    public virtual void Release()
    {
    }

    /// <summary>Extra pool_bench.py arguments: n, words, reps, chunksize.</summary>
    public virtual (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (null, null, null, null);

    public abstract Figures FromPython(JsonElement json);

    public abstract void Report(WorkloadResult r, Settings s);

    /// <summary>Waits until every worker has run a task, so that start-up stays out of the timings (as pool_bench.py).</summary>
    public static void WaitForWorkers(IPool pool)
    {
        var seen = new HashSet<int>();
        var clock = Stopwatch.StartNew();
        while (seen.Count < pool.Processes && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            seen.UnionWith(pool.Map(WorkerIndex, Enumerable.Range(0, 2 * pool.Processes), chunksize: 1));
        }
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

    /// <summary>The faster of Python's two start methods for a higher-is-better figure.</summary>
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

    private static int WorkerIndex(int _)
    {
        Thread.Sleep(5);
        return WorkerInfo.Current?.Index ?? -1;
    }
}

/// <summary>W1: the guide's example, SHA-512 of a dictionary of words into a set.</summary>
internal sealed class HashWorkload : Workload
{
    private string[] _words = [];
    private string _digest = string.Empty;
    private string _file = string.Empty;
    private HashSet<string>? _reference;

    public override string Id => "W1";

    public override string Title => "Hash a dictionary of words (SHA-512 hex into a set)";

    public override string? PythonWorkload => "hash";

    public override void Prepare(Settings s)
    {
        _words = WordList.Generate((int)s.Size(1_000_000, 100_000));
        _digest = WordList.Digest(_words);
        _file = Path.Combine(s.WorkDirectory, $"words-{_words.Length}.txt");
        File.WriteAllLines(_file, _words);
    }

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (null, _file, null, null);

    public override void Release()
    {
        _words = [];
        _reference = null;
    }

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.DotNet, _ =>
        {
            HashSet<string> set = [];
            double serial = Time(() =>
            {
                foreach (string w in _words)
                {
                    set.Add(Tasks.HashWord(w));
                }
            });
            _reference ??= set;
            HashSet<string>? plinq = null;
            double parallel = Time(() => plinq = [.. _words.AsParallel().Select(Tasks.HashWord)]);
            Check(plinq!);
            return new Figures { ["serial_s"] = serial, ["plinq_s"] = parallel };
        }),
        (WorkloadResult.Pool, g => RunPool(g.Track(new Pool(s.Processes)))),
        (WorkloadResult.Threaded, g => RunPool(g.Track(new ThreadedPool(s.Processes)))),
    ];

    public override Figures FromPython(JsonElement json)
    {
        string? digest = json.TryGetProperty("words_sha256", out var d) ? d.GetString() : null;
        if (digest != _digest)
        {
            throw new InvalidOperationException($"Python hashed a different word list (SHA-256 {digest}, expected {_digest}).");
        }

        if (_reference is not null && Number(json, "hashes") != _reference.Count)
        {
            throw new InvalidOperationException($"Python found {Number(json, "hashes")} distinct hashes, C# {_reference.Count}.");
        }

        return Pick(json, "pool_s", "serial_s");
    }

    public override void Report(WorkloadResult r, Settings s)
    {
        r.Cells[WorkloadResult.Pool] = r.Text(WorkloadResult.Pool, c => $"{Stats.Seconds(c.Median("s"))} (cold first call {Stats.Seconds(c.Median("cold_s"))})");
        r.Cells[WorkloadResult.Threaded] = r.Text(WorkloadResult.Threaded, c => $"{Stats.Seconds(c.Median("s"))} (cold {Stats.Seconds(c.Median("cold_s"))})");
        r.Cells[WorkloadResult.DotNet] = r.Text(WorkloadResult.DotNet, c => $"serial {Stats.Seconds(c.Median("serial_s"))}; PLINQ {Stats.Seconds(c.Median("plinq_s"))}");
        foreach (string py in new[] { WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Cells[py] = r.Text(py, c => $"pool {Stats.Seconds(c.Median("pool_s"))}; serial {Stats.Seconds(c.Median("serial_s"))}");
        }

        double pool = r.Median(WorkloadResult.Pool, "s");
        var (python, method) = BestPython(r, "pool_s", higherIsBetter: false);
        r.Target("≥ 2x faster than Python's Pool", python / pool, 2, $"{Stats.Ratio(python / pool)} (Python {method} {Stats.Seconds(python)} / Pool {Stats.Seconds(pool)})");
        double serial = r.Median(WorkloadResult.DotNet, "serial_s");
        r.Target("faster than serial C#", serial / pool, 1.0, $"{Stats.Ratio(serial / pool)} (serial {Stats.Seconds(serial)} / Pool {Stats.Seconds(pool)})");
        r.Notes.Add($"{_words.Length:N0} generated words (words SHA-256 {_digest[..12]}…, checked against Python's); both languages read the same list, Python from a file. " +
            "Times include building the set. Pool = `new HashSet<string>(pool.Map(HashWord, words))` with the automatic chunksize, " +
            "timed on a warm pool (a first, cold call on the same pool is shown in brackets: the workers' JIT is still compiling then).");
    }

    private Figures RunPool(IPool pool)
    {
        using (pool)
        {
            WaitForWorkers(pool);
            HashSet<string>? set = null;
            double cold = Time(() => set = [.. pool.Map(Tasks.HashWord, _words)]);
            Check(set!);
            double warm = Time(() => set = [.. pool.Map(Tasks.HashWord, _words)]);
            Check(set!);
            return new Figures { ["s"] = warm, ["cold_s"] = cold };
        }
    }

    private void Check(HashSet<string> set)
    {
        if (_reference is not null && !set.SetEquals(_reference))
        {
            throw new InvalidOperationException("The hash set differs from the serial one.");
        }
    }
}

/// <summary>W2: 2,000 CPU-bound tasks of about 2 ms each.</summary>
internal sealed class CpuWorkload : Workload
{
    private int _n;
    private int _k;
    private int[]? _reference;

    public override string Id => "W2";

    public override string Title => "CPU-bound tasks, ~2 ms each (LCG loop `burn`)";

    public override string? PythonWorkload => "cpu";

    public override int PythonRounds(Settings s) => 1;

    public override void Prepare(Settings s)
    {
        _n = (int)s.Size(2000, 200);
        _k = Tasks.CalibrateK();
    }

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (_n, null, null, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.DotNet, _ =>
        {
            var serial = new int[_n];
            double ts = Time(() =>
            {
                for (int i = 0; i < serial.Length; i++)
                {
                    serial[i] = Tasks.Burn(i);
                }
            });
            _reference ??= serial;
            var parallel = new int[_n];
            double tp = Time(() => Parallel.For(0, _n, i => parallel[i] = Tasks.Burn(i)));
            Check(parallel);
            return new Figures { ["serial_s"] = ts, ["parallel_for_s"] = tp };
        }),
        (WorkloadResult.Pool, g => RunPool(g.Track(new Pool(Options(s))))),
        (WorkloadResult.Threaded, g => RunPool(g.Track(new ThreadedPool(Options(s))))),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "pool_s", "serial_s", "task_ms");

    public override void Report(WorkloadResult r, Settings s)
    {
        double serial = r.Median(WorkloadResult.DotNet, "serial_s");
        double parallelFor = r.Median(WorkloadResult.DotNet, "parallel_for_s");
        double pool = r.Median(WorkloadResult.Pool, "s");
        string Speedup(double t) => Stats.Ratio(serial / t);
        r.Cells[WorkloadResult.Pool] = r.Text(WorkloadResult.Pool, c => $"{Stats.Seconds(c.Median("s"))} ({Speedup(c.Median("s"))} speed-up)");
        r.Cells[WorkloadResult.Threaded] = r.Text(WorkloadResult.Threaded, c => $"{Stats.Seconds(c.Median("s"))} ({Speedup(c.Median("s"))})");
        r.Cells[WorkloadResult.DotNet] = r.Text(WorkloadResult.DotNet, c => $"serial {Stats.Seconds(serial)} ({Stats.F(serial / _n * 1e3)} ms/task); Parallel.For {Stats.Seconds(parallelFor)} ({Speedup(parallelFor)})");
        foreach (string py in new[] { WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Cells[py] = r.Text(py, c => $"pool {Stats.Seconds(c.Median("pool_s"))} ({Stats.Ratio(c.Median("serial_s") / c.Median("pool_s"))} speed-up; {Stats.F(c.Median("task_ms"))} ms/task)");
        }

        double cores = Math.Min(s.Cores, s.Processes);
        r.Target($"speed-up ≥ 0.95 × cores ({Stats.F(0.95 * cores)}x)", serial / pool, 0.95 * cores, $"{Stats.Ratio(serial / pool)} (serial {Stats.Seconds(serial)} / Pool {Stats.Seconds(pool)})");
        r.Target("within 5% of Parallel.For", 1.05 * parallelFor / pool, 1.0, $"Pool {Stats.Seconds(pool)} vs Parallel.For {Stats.Seconds(parallelFor)} ({Stats.F(((pool / parallelFor) - 1) * 100, 1)}%)");
        r.Notes.Add($"{_n:N0} tasks; K = {_k:N0} LCG steps, calibrated here to ~2 ms per task (Python calibrates its own K to 2 ms of Python). " +
            "Workers get K through PoolOptions.Initializer, as Python's initializer. Pool = `pool.Map(Burn, range)`, automatic chunksize; results checked against serial.");
    }

    private PoolOptions Options(Settings s) => new() { Processes = s.Processes, Initializer = (Action<int>)Tasks.SetK, InitArgs = [_k] };

    private Figures RunPool(IPool pool)
    {
        using (pool)
        {
            WaitForWorkers(pool);
            pool.Map(Tasks.Burn, Enumerable.Range(0, 4 * pool.Processes), chunksize: 1);
            IReadOnlyList<int>? results = null;
            double t = Time(() => results = pool.Map(Tasks.Burn, Enumerable.Range(0, _n)));
            Check(results!);
            return new Figures { ["s"] = t };
        }
    }

    private void Check(IReadOnlyList<int> results)
    {
        if (_reference is not null && !results.SequenceEqual(_reference))
        {
            throw new InvalidOperationException("Results differ from the serial ones.");
        }
    }
}

/// <summary>W3: Map of an identity function over 10 M ints, automatic chunksize.</summary>
internal sealed class MapWorkload : Workload
{
    private int _n;

    public override string Id => "W3";

    public override string Title => "Map identity over 10 M ints (automatic chunksize)";

    public override string? PythonWorkload => "map";

    public override void Prepare(Settings s) => _n = (int)s.Size(10_000_000, 1_000_000);

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (_n, null, null, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, g => RunPool(g.Track(new Pool(s.Processes)))),
        (WorkloadResult.Threaded, g => RunPool(g.Track(new ThreadedPool(s.Processes)))),
        (WorkloadResult.DotNet, _ =>
        {
            int[]? serial = null;
            double ts = Time(() => serial = [.. Enumerable.Range(0, _n).Select(Tasks.Identity)]);
            Check(serial!);
            int[]? plinq = null;
            double tp = Time(() => plinq = Enumerable.Range(0, _n).AsParallel().AsOrdered().Select(Tasks.Identity).ToArray());
            Check(plinq!);
            return new Figures { ["serial"] = _n / ts, ["plinq"] = _n / tp };
        }),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "items_per_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        r.Cells[WorkloadResult.Pool] = r.Text(WorkloadResult.Pool, c => Stats.Rate(c.Median("items_per_s")));
        r.Cells[WorkloadResult.Threaded] = r.Text(WorkloadResult.Threaded, c => Stats.Rate(c.Median("items_per_s")));
        r.Cells[WorkloadResult.DotNet] = r.Text(WorkloadResult.DotNet, c => $"serial LINQ {Stats.Rate(c.Median("serial"))}; PLINQ {Stats.Rate(c.Median("plinq"))}");
        foreach (string py in new[] { WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Cells[py] = r.Text(py, c => Stats.Rate(c.Median("items_per_s")));
        }

        double pool = r.Median(WorkloadResult.Pool, "items_per_s");
        var (python, method) = BestPython(r, "items_per_s", higherIsBetter: true);
        r.Target("≥ 5x Python (items/s)", pool / python, 5, $"{Stats.Ratio(pool / python)} (Pool {Stats.Rate(pool)} / Python {method} {Stats.Rate(python)})");
        r.Notes.Add($"{_n:N0} items, `pool.Map(Identity, Enumerable.Range(0, n))` (Python: `pool.map(identity, range(n))`); results checked.");
    }

    private Figures RunPool(IPool pool)
    {
        using (pool)
        {
            WaitForWorkers(pool);
            Check(pool.Map(Tasks.Identity, Enumerable.Range(0, _n / 10)), _n / 10);
            IReadOnlyList<int>? results = null;
            double t = Time(() => results = pool.Map(Tasks.Identity, Enumerable.Range(0, _n)));
            Check(results!);
            return new Figures { ["s"] = t, ["items_per_s"] = _n / t };
        }
    }

    private void Check(IReadOnlyList<int> results, int? n = null)
    {
        int expected = n ?? _n;
        if (results.Count != expected || (expected > 0 && (results[expected - 1] != expected - 1 || results[expected / 2] != expected / 2)))
        {
            throw new InvalidOperationException("Map returned the wrong results.");
        }
    }
}

/// <summary>W4: Imap with chunksize 1 over 200,000 items.</summary>
internal sealed class ImapWorkload : Workload
{
    private int _n;

    public override string Id => "W4";

    public override string Title => "Imap, chunksize 1, over 200,000 items";

    public override string? PythonWorkload => "imap";

    public override void Prepare(Settings s) => _n = (int)s.Size(200_000, 20_000);

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (_n, null, null, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, g => RunPool(g.Track(new Pool(s.Processes)))),
        (WorkloadResult.Threaded, g => RunPool(g.Track(new ThreadedPool(s.Processes)))),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "items_per_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        foreach (string col in new[] { WorkloadResult.Pool, WorkloadResult.Threaded, WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Cells[col] = r.Text(col, c => Stats.Rate(c.Median("items_per_s")));
        }

        double pool = r.Median(WorkloadResult.Pool, "items_per_s");
        var (python, method) = BestPython(r, "items_per_s", higherIsBetter: true);
        r.Target("≥ 7x Python (items/s)", pool / python, 7, $"{Stats.Ratio(pool / python)} (Pool {Stats.Rate(pool)} / Python {method} {Stats.Rate(python)})");
        r.Notes.Add($"{_n:N0} items, `foreach (var x in pool.Imap(Identity, Enumerable.Range(0, n), chunksize: 1))`: one message per item each way.");
    }

    private Figures RunPool(IPool pool)
    {
        using (pool)
        {
            WaitForWorkers(pool);
            Consume(pool, Math.Min(_n, 5000));
            double t = Time(() => Consume(pool, _n));
            return new Figures { ["s"] = t, ["items_per_s"] = _n / t };
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
            Run(Math.Min(_n, 5000));
            double t = Time(() => Run(_n));
            return new Figures { ["tasks_per_s"] = _n / t };

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

    public override Figures FromPython(JsonElement json) => Pick(json, "tasks_per_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        foreach (string col in new[] { WorkloadResult.Pool, WorkloadResult.Threaded, WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Cells[col] = r.Text(col, c => Stats.Rate(c.Median("tasks_per_s")));
        }

        r.Cells[WorkloadResult.DotNet] = r.Text(WorkloadResult.DotNet, c => $"Task.Run {Stats.Rate(c.Median("tasks_per_s"))}");
        double pool = r.Median(WorkloadResult.Pool, "tasks_per_s");
        var (python, method) = BestPython(r, "tasks_per_s", higherIsBetter: true);
        r.Target("≥ 10x Python (tasks/s)", pool / python, 10, $"{Stats.Ratio(pool / python)} (Pool {Stats.Rate(pool)} / Python {method} {Stats.Rate(python)})");
        r.Notes.Add($"{_n:N0} × `pool.ApplyAsync(Identity, i)`, then `.Get()` on each in order; the sum is checked.");
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
            Run(pool, Math.Min(_n, 5000));
            double t = Time(() => Run(pool, _n));
            return new Figures { ["s"] = t, ["tasks_per_s"] = _n / t };
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

/// <summary>W6: Apply round-trip latency, beside a raw 1-byte ping-pong between two processes.</summary>
internal sealed class LatencyWorkload : Workload
{
    private const int Warmup = 200;
    private int _n;

    public override string Id => "W6";

    public override string Title => "Apply round-trip latency (p50 / p99)";

    public override string? PythonWorkload => "apply";

    public override void Prepare(Settings s) => _n = (int)s.Size(5000, 1000);

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (_n, null, null, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.DotNet, _ =>
        {
            double[] pipe = [.. Children.PingPongPipe(_n, Warmup).Order()];
            double[] socket = [.. Children.PingPongSocket(_n, Warmup).Order()];
            return new Figures
            {
                ["pipe_p50_us"] = Stats.Percentile(pipe, 50), ["pipe_p99_us"] = Stats.Percentile(pipe, 99),
                ["socket_p50_us"] = Stats.Percentile(socket, 50), ["socket_p99_us"] = Stats.Percentile(socket, 99),
            };
        }),
        (WorkloadResult.Pool, g => RunPool(g.Track(new Pool(s.Processes)))),
        (WorkloadResult.Threaded, g => RunPool(g.Track(new ThreadedPool(s.Processes)))),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "p50_us", "p99_us");

    public override void Report(WorkloadResult r, Settings s)
    {
        foreach (string col in new[] { WorkloadResult.Pool, WorkloadResult.Threaded, WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Cells[col] = r.Text(col, c => $"{Stats.G(c.Median("p50_us"))} / {Stats.G(c.Median("p99_us"))} µs");
        }

        r.Cells[WorkloadResult.DotNet] = r.Text(WorkloadResult.DotNet, c =>
            $"floor, 1-byte ping-pong to a child process: pipe {Stats.G(c.Median("pipe_p50_us"))} / {Stats.G(c.Median("pipe_p99_us"))} µs; Unix socket {Stats.G(c.Median("socket_p50_us"))} / {Stats.G(c.Median("socket_p99_us"))} µs");
        double pool = r.Median(WorkloadResult.Pool, "p50_us");
        double pipe = r.Median(WorkloadResult.DotNet, "pipe_p50_us");
        double socket = r.Median(WorkloadResult.DotNet, "socket_p50_us");
        double floor = Math.Min(pipe, socket);
        string which = pipe <= socket ? "pipe" : "Unix socket";
        r.Target("p50 ≤ 1.5 × raw pipe floor", 1.5 * floor / pool, 1.0, $"{Stats.Ratio(pool / floor)} the floor (Pool p50 {Stats.G(pool)} µs; floor = faster of the two, {which}, {Stats.G(floor)} µs)");
        r.Notes.Add($"{_n:N0} × `pool.Apply(Identity, i)`, each timed alone, after {Warmup} warm-up calls; nearest-rank percentiles, median over rounds. " +
            "The floor is measured in the same run by this benchmark's own child mode (`Multiprocessing.Bench --pingpong-child pipe|socket`): " +
            "the parent writes 1 byte and blocks until the child echoes it, over an anonymous pipe pair and over a Unix domain socket (the library's transport).");
    }

    private Figures RunPool(IPool pool)
    {
        using (pool)
        {
            WaitForWorkers(pool);
            for (int i = 0; i < Warmup; i++)
            {
                pool.Apply(Tasks.Identity, i);
            }

            var samples = new double[_n];
            for (int i = 0; i < _n; i++)
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
            return new Figures { ["p50_us"] = Stats.Percentile(samples, 50), ["p99_us"] = Stats.Percentile(samples, 99) };
        }
    }
}

/// <summary>W7: a 64 MB byte[] to a worker and back.</summary>
internal sealed class BytesWorkload : Workload
{
    private const int Reps = 5;
    private byte[] _data = [];

    public override string Id => "W7";

    public override string Title => "64 MB byte[] to a worker and back (GB/s)";

    public override string? PythonWorkload => "bytes";

    public override void Prepare(Settings s)
    {
        _data = new byte[(int)s.Size(64L << 20, 16L << 20)];
        for (int i = 0; i < _data.Length; i++)
        {
            _data[i] = (byte)i;
        }
    }

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (_data.Length, null, Reps, null);

    public override void Release() => _data = [];

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, g => RunPool(g.Track(new Pool(s.Processes)))),
        (WorkloadResult.Threaded, g => RunPool(g.Track(new ThreadedPool(s.Processes)))),
        (WorkloadResult.DotNet, _ =>
        {
            var there = new byte[_data.Length];
            var back = new byte[_data.Length];
            var samples = new double[Reps];
            for (int i = 0; i < Reps; i++)
            {
                samples[i] = Time(() =>
                {
                    Buffer.BlockCopy(_data, 0, there, 0, _data.Length);
                    Buffer.BlockCopy(there, 0, back, 0, _data.Length);
                });
            }

            double echo = Stats.Median(Children.BulkEcho(_data, Reps));
            return new Figures { ["gb_per_s"] = _data.Length / Stats.Median(samples) / 1e9, ["echo_gb_per_s"] = _data.Length / echo / 1e9 };
        }),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "gb_per_s", "median_s", "first_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        foreach (string col in new[] { WorkloadResult.Pool, WorkloadResult.Threaded, WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Cells[col] = r.Text(col, c => $"{Stats.G(c.Median("gb_per_s"))} GB/s");
        }

        foreach (string col in new[] { WorkloadResult.Pool, WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Cells[col] = r.Text(col, c => $"{Stats.G(c.Median("gb_per_s"))} GB/s (first round trip of a fresh pool {Stats.Seconds(c.Median("first_s"))})");
        }

        r.Cells[WorkloadResult.Threaded] += " (no copy: same process)";
        r.Cells[WorkloadResult.DotNet] = r.Text(WorkloadResult.DotNet, c => $"floors: raw Unix-socket echo to a child (store and forward) {Stats.G(c.Median("echo_gb_per_s"))} GB/s; 2 × memcpy in process {Stats.G(c.Median("gb_per_s"))} GB/s");
        double pool = r.Median(WorkloadResult.Pool, "gb_per_s");
        var (python, method) = BestPython(r, "gb_per_s", higherIsBetter: true);
        r.Target("≥ 10x Python", pool / python, 10, $"{Stats.Ratio(pool / python)} (Pool {Stats.G(pool)} GB/s / Python {method} {Stats.G(python)} GB/s)");
        r.Target("≥ 2 GB/s", pool / 2, 1, $"{Stats.G(pool)} GB/s");
        r.Notes.Add($"{_data.Length / (1 << 20)} MB, `pool.Apply(IdentityBytes, data)`, one full-size round trip first (its time shown apart), then {Reps} round trips per round; GB/s = payload bytes / median round-trip seconds / 1e9, " +
            "the same definition as pool_bench.py (the payload crosses twice within that time). The returned array is checked outside the timing.");
    }

    private Figures RunPool(IPool pool)
    {
        using (pool)
        {
            WaitForWorkers(pool);
            pool.Apply(Tasks.IdentityBytes, new byte[1024]);

            // One full-size round trip first, timed on its own (a fresh worker maps its rings and grows its heap
            // then); the samples measure the steady state, as pool_bench.py does.
            double first = Time(() => pool.Apply(Tasks.IdentityBytes, _data));
            var samples = new double[Reps];
            for (int i = 0; i < Reps; i++)
            {
                byte[]? back = null;
                samples[i] = Time(() => back = pool.Apply(Tasks.IdentityBytes, _data));
                if (!back.AsSpan().SequenceEqual(_data))
                {
                    throw new InvalidOperationException("The bytes came back changed.");
                }
            }

            double median = Stats.Median(samples);
            return new Figures { ["median_s"] = median, ["gb_per_s"] = _data.Length / median / 1e9, ["first_s"] = first };
        }
    }
}

/// <summary>W8: new Pool(2) to the first Apply result.</summary>
internal sealed class StartupWorkload : Workload
{
    private int _reps;

    public override string Id => "W8";

    public override string Title => "new Pool(2) to the first Apply result";

    public override string? PythonWorkload => "startup";

    public override void Prepare(Settings s) => _reps = (int)s.Size(5, 3);

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (null, null, _reps, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, g => Run(g, () => new Pool(s.Processes))),
        (WorkloadResult.Threaded, g => Run(g, () => new ThreadedPool(s.Processes))),
        (WorkloadResult.DotNet, _ => new Figures { ["median_s"] = Stats.Median(Enumerable.Range(0, _reps).Select(_ => Children.ChildStartToFirstByte()).ToArray()) }),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "median_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        foreach (string col in new[] { WorkloadResult.Pool, WorkloadResult.Threaded, WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Cells[col] = r.Text(col, c => Stats.Seconds(c.Median("median_s")));
        }

        r.Cells[WorkloadResult.DotNet] = r.Text(WorkloadResult.DotNet, c => $"floor: a bare .NET child process started and answering 1 byte over a Unix socket: {Stats.Seconds(c.Median("median_s"))}");
        double pool = r.Median(WorkloadResult.Pool, "median_s");
        double spawn = r.Median(WorkloadResult.PySpawn, "median_s");
        r.Target("no slower than Python spawn", spawn / pool, 1, $"Pool {Stats.Seconds(pool)} vs Python spawn {Stats.Seconds(spawn)} ({Stats.Ratio(spawn / pool)})");
        r.Notes.Add($"{_reps} fresh pools per round, each timed from `new Pool({s.Processes})` to the result of `Apply(Identity, 1)`; closed and joined outside the timing. " +
            "A .NET worker is a fresh `dotnet exec` of the application (the counterpart of Python's spawn; .NET has no fork).");
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

        return new Figures { ["median_s"] = Stats.Median(samples) };
    }
}

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
        (WorkloadResult.Pool, _ => Children.ImapInChild("process", _n, Chunksize, s.Processes, s.CallTimeout)),
        (WorkloadResult.Threaded, _ => Children.ImapInChild("threaded", _n, Chunksize, s.Processes, s.CallTimeout)),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "peak_rss_mb", "baseline_rss_mb", "items_per_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        foreach (string col in new[] { WorkloadResult.Pool, WorkloadResult.Threaded, WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Cells[col] = r.Text(col, c => $"{Stats.G(c.Max("peak_rss_mb"))} MB peak (baseline {Stats.G(c.Median("baseline_rss_mb"))} MB; {Stats.Rate(c.Median("items_per_s"))})");
        }

        double peak = r.Columns.TryGetValue(WorkloadResult.Pool, out var pool) ? pool.Max("peak_rss_mb") : double.NaN;
        r.Target("parent peak ≤ 100 MB", 100 / peak, 1, $"{Stats.G(peak)} MB (worst round)");
        r.Notes.Add($"`foreach (var x in pool.Imap(Identity, Naturals(), chunksize: {Chunksize}))`, stopped after {_n:N0} items; Naturals() never ends. " +
            "Run in a fresh child process of the benchmark (`--w9-child`) so that its peak RSS (VmHWM from /proc/self/status) is the pool parent's alone; " +
            $"baseline = VmHWM before the pool was created. Python: ru_maxrss, chunksize {Chunksize} (its default for this workload).");
    }
}

/// <summary>W10: chunksize sweep on the W2 and W3 shapes: the automatic choice against the best fixed one.</summary>
internal sealed class SweepWorkload : Workload
{
    private const int MapRepeats = 5;

    /// <summary>Map chunksizes that would cut W3 into more chunks than this are not timed (seconds each, never the best).</summary>
    private const int MaxMapChunks = 50_000;
    private static readonly int?[] s_chunksizes = [null, 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144];
    private int _cpuN;
    private int _mapN;
    private int _k;
    private int _round;

    public override string Id => "W10";

    public override string Title => "Chunksize sweep on W2 (CPU) and W3 (map): automatic vs best fixed";

    public override string? PythonWorkload => "sweep";

    public override int PythonRounds(Settings s) => s.Quick ? 0 : 1;

    public override void Prepare(Settings s)
    {
        _cpuN = (int)s.Size(1000, 200);
        _mapN = (int)s.Size(10_000_000, 1_000_000);
        _k = Tasks.CalibrateK();
    }

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (200_000, null, null, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, g =>
        {
            using var pool = g.Track(new Pool(new PoolOptions { Processes = s.Processes, Initializer = (Action<int>)Tasks.SetK, InitArgs = [_k] }));
            WaitForWorkers(pool);
            pool.Map(Tasks.Burn, Enumerable.Range(0, 4 * s.Processes), chunksize: 1);
            pool.Map(Tasks.Identity, Enumerable.Range(0, _mapN));
            var f = new Figures();

            // Rotate the order from round to round, so that no chunksize always runs first or last.
            int shift = _round++;
            int?[] order = [.. s_chunksizes.Skip(shift % s_chunksizes.Length), .. s_chunksizes.Take(shift % s_chunksizes.Length)];
            foreach (int? cs in order)
            {
                if (cs is null || cs <= _cpuN / 2)
                {
                    f["cpu:" + Label(cs)] = Time(() => pool.Map(Tasks.Burn, Enumerable.Range(0, _cpuN), cs));
                }
            }

            // The map part is W3 itself (10 M ints, about 0.1 s, where a GC or a scheduler tick is a large part):
            // the chunksizes take turns, MapRepeats passes over all of them, so that each meets the same
            // conditions (timed in a row, the first of a block paid for the previous block's garbage), and the
            // median of each is kept.
            var mapSizes = order.Where(cs => cs is null || _mapN / cs <= MaxMapChunks).ToList();
            var times = mapSizes.ToDictionary(Label, _ => new List<double>(MapRepeats));
            for (int pass = 0; pass < MapRepeats; pass++)
            {
                foreach (int? cs in mapSizes)
                {
                    times[Label(cs)].Add(Time(() => pool.Map(Tasks.Identity, Enumerable.Range(0, _mapN), cs)));
                }
            }

            foreach (var (label, samples) in times)
            {
                f["map:" + label] = Stats.Median(samples);
            }

            return f;
        }),
    ];

    public override Figures FromPython(JsonElement json)
    {
        var f = new Figures();
        foreach (string part in new[] { "cpu", "map" })
        {
            foreach (var p in json.GetProperty(part).EnumerateObject())
            {
                f[part + ":" + (p.Name == "None" ? "auto" : p.Name)] = p.Value.GetDouble();
            }
        }

        return f;
    }

    public override void Report(WorkloadResult r, Settings s)
    {
        string Describe(Column c, string part, out double ratio)
        {
            double auto = c.Median(part + ":auto");
            var fixedTimes = c.Samples.SelectMany(x => x.Keys).Distinct()
                .Where(k => k.StartsWith(part + ":", StringComparison.Ordinal) && k != part + ":auto")
                .Select(k => (Key: k[(part.Length + 1)..], T: c.Median(k))).ToList();
            if (fixedTimes.Count == 0 || double.IsNaN(auto))
            {
                ratio = double.NaN;
                return "—";
            }

            var best = fixedTimes.MinBy(x => x.T);
            ratio = best.T / auto;
            double percent = ((auto / best.T) - 1) * 100;
            return $"{part}: auto {Stats.Seconds(auto)}, best fixed {Stats.Seconds(best.T)} (chunksize {best.Key}), auto {Stats.F(Math.Abs(percent), 0)}% {(percent > 0 ? "slower" : "faster")}";
        }

        foreach (string col in new[] { WorkloadResult.Pool, WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Cells[col] = r.Text(col, c => Describe(c, "cpu", out _) + "; " + Describe(c, "map", out _));
        }

        if (s.Quick)
        {
            r.Cells[WorkloadResult.PyFork] = r.Cells[WorkloadResult.PySpawn] = "not run in --quick";
        }

        if (r.Columns.TryGetValue(WorkloadResult.Pool, out var pool) && pool.Samples.Count > 0)
        {
            string cpu = Describe(pool, "cpu", out double cpuRatio);
            string map = Describe(pool, "map", out double mapRatio);
            r.Target("W2 shape: auto within 10% of best fixed", 1.10 * cpuRatio, 1, cpu);
            r.Target("W3 shape: auto within 10% of best fixed", 1.10 * mapRatio, 1, map);
            r.Notes.Add("Full sweep (median seconds per Map), Pool: " + string.Join("; ", new[] { "cpu", "map" }.Select(part =>
                part + " " + string.Join(", ", pool.Samples.SelectMany(x => x.Keys).Distinct().Where(k => k.StartsWith(part + ":", StringComparison.Ordinal))
                    .Select(k => $"{k[(part.Length + 1)..]}={Stats.Seconds(pool.Median(k))}")))) + ".");
        }
        else
        {
            r.Target("W2 shape: auto within 10% of best fixed", double.NaN, 1, "not measured");
            r.Target("W3 shape: auto within 10% of best fixed", double.NaN, 1, "not measured");
        }

        r.Notes.Add($"CPU part: {_cpuN:N0} burn tasks of ~2 ms, chunksizes up to n/2; map part: W3's identity over {_mapN:N0} ints, the chunksizes timed in turn, {MapRepeats} passes per round (median); chunksizes auto, 1, 4, 16, … 262144 " +
            $"(map: only those giving at most {MaxMapChunks:N0} chunks; pool_bench.py's sweep uses 1,000 burn tasks and 200,000 map items). " +
            "Automatic: a known length gets guided chunks, n / (4 × processes) at first (Python's rule), shrinking towards the end, at most 262,144 items, and about 10 ms of work once the function's cost per task is measured.");
    }

    private static string Label(int? cs) => cs?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "auto";
}

/// <summary>
/// M1 and M2: synchronous round trips through a Manager proxy from the parent process, in pairs
/// (acquire + release, put + get), as pool_bench.py's <c>manager_lock</c> and <c>manager_queue</c>.
/// </summary>
internal abstract class ManagerPairsWorkload : Workload
{
    private const int PythonWarmup = 100;
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

            // More warm-up than Python's 100 pairs: the proxy and client code is JIT-compiled on first use.
            for (int i = 0; i < Math.Min(_n, 2000); i++)
            {
                pair();
            }

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
            return new Figures { ["pairs_per_s"] = pairs / t, ["s"] = t };
        }),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "pairs_per_s", "elapsed_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        r.Cells[WorkloadResult.Pool] = r.Text(WorkloadResult.Pool, c => "Manager proxy: " + Pairs(c.Median("pairs_per_s")));
        foreach (string py in new[] { WorkloadResult.PyFork, WorkloadResult.PySpawn })
        {
            r.Cells[py] = r.Text(py, c => Pairs(c.Median("pairs_per_s")));
        }

        double manager = r.Median(WorkloadResult.Pool, "pairs_per_s");
        var (python, method) = BestPython(r, "pairs_per_s", higherIsBetter: true);
        r.Target("≥ 5x Python's Manager (pairs/s)", manager / python, 5, $"{Stats.Ratio(manager / python)} (Manager {Stats.Rate(manager)} / Python {method} {Stats.Rate(python)})");
        r.Notes.Add($"{_n:N0} pairs of `{PairCode}`, one after another from the parent process through a proxy (Python: `{PythonPairCode}`), on a fresh manager each round; " +
            $"{Math.Min(_n, 2000):N0} warm-up pairs first (Python {PythonWarmup}). On Linux the .NET Lock and Queue work on shared memory mapped from the manager (one round trip on first use, then none unless a call must wait); " +
            "each Python call is a synchronous round trip to its manager process (forked or spawned). " +
            $"Rate = pairs / seconds for the whole timed loop (.NET: batches of {_n:N0} until at least {s_minTimed.TotalSeconds} s has passed).");
    }

    /// <summary>A rate of pairs and the time of one pair: "27.7 k pairs/s (36.1 µs per pair)".</summary>
    private static string Pairs(double perSecond) => $"{Stats.Rate(perSecond)[..^2].TrimEnd()} pairs/s ({Stats.G(1e6 / perSecond)} µs per pair)";

    /// <summary>Creates the shared object on <paramref name="manager"/> and returns one checked pair of calls on its proxy.</summary>
    protected abstract Action CreatePair(Managers.Manager manager);
}

/// <summary>M1: acquire + release on a Manager Lock proxy.</summary>
internal sealed class ManagerLockWorkload : ManagerPairsWorkload
{
    public override string Id => "M1";

    public override string Title => "Manager Lock acquire+release pairs/s";

    public override string? PythonWorkload => "manager_lock";

    protected override string PairCode => "using (l.Acquire()) { }";

    protected override string PythonPairCode => "lock.acquire(); lock.release()";

    protected override Action CreatePair(Managers.Manager manager)
    {
        var l = manager.Lock();
        return () =>
        {
            using (l.Acquire())
            {
            }
        };
    }
}

/// <summary>M2: put + get on a Manager Queue proxy.</summary>
internal sealed class ManagerQueueWorkload : ManagerPairsWorkload
{
    public override string Id => "M2";

    public override string Title => "Manager Queue put+get pairs/s";

    public override string? PythonWorkload => "manager_queue";

    protected override string PairCode => "q.Put(i); q.TryGet(TimeSpan.FromSeconds(5), out _)";

    protected override string PythonPairCode => "q.put(1); q.get()";

    protected override Action CreatePair(Managers.Manager manager)
    {
        var q = manager.Queue<int>();
        int i = 0;
        return () =>
        {
            q.Put(i);
            if (!q.TryGet(TimeSpan.FromSeconds(5), out int back) || back != i)
            {
                throw new InvalidOperationException($"The queue gave back {back} for {i}.");
            }

            i++;
        };
    }
}
