namespace Multiprocessing.Tests.Support;

/// <summary>Task functions for the tests: static, so that they run in worker processes too.</summary>
public static class Tasks
{
    public static readonly TimeSpan GateTimeout = TimeSpan.FromSeconds(60);

    [ThreadStatic]
    private static int t_counter;

    [ThreadStatic]
    private static string? t_initialized;

    public static int Square(int x) => x * x;

    /// <summary>A large array made in the worker from a seed (so only the result is large).</summary>
    public static byte[] MakeBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The array reversed: proof the worker read every byte.</summary>
    public static byte[] Reverse(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        Array.Reverse(copy);
        return copy;
    }

    /// <summary>Several large arrays of different element types inside one result.</summary>
    public static (byte[] Bytes, long[] Longs, string Name, double[] Small) Parts(int seed) =>
        (MakeBytes(seed, (2 << 20) + seed), [.. Enumerable.Range(0, 300_000).Select(i => (long)i * seed)], "parts" + seed, [seed, 0.5]);

    /// <summary>Two arrays added element by element.</summary>
    public static long[] Add2Arrays(long[] a, long[] b) => [.. a.Zip(b, (x, y) => x + y)];

    /// <summary>Each element plus one, as a new array.</summary>
    public static long[] Increment(long[] values) => Array.ConvertAll(values, v => v + 1);

    /// <summary>A large array, crashing the worker for one seed.</summary>
    public static byte[] MakeBytesOrCrash(int seed)
    {
        if (seed == 7)
        {
            Environment.FailFast("crash on 7");
        }

        return MakeBytes(seed, 3 << 20);
    }

    public static int Identity(int x) => x;

    public static string Echo(string s) => s;

    /// <summary>A task that takes at least <paramref name="ms"/> milliseconds.</summary>
    public static int Busy(int ms)
    {
        Thread.Sleep(ms); // sleep-ok: the task's work, not a wait for a state
        return ms;
    }

    public static T Echo<T>(T value) => value;

    public static int Add(int a, int b) => a + b;

    public static string Concat3(string a, int b, double c) => $"{a}-{b}-{c.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static long Sum4(int a, long b, short c, byte d) => a + b + c + d;

    public static int FortyTwo() => 42;

    public static void WriteFile(string path) => File.WriteAllText(path, "done");

    public static void WriteFile2(string path, string text) => File.WriteAllText(path, text);

    public static void WriteFile3(string path, string text, int n) => File.WriteAllText(path, text + n);

    public static void WriteFile4(string path, string text, int n, bool b) => File.WriteAllText(path, text + n + b);

    public static void Nothing()
    {
    }

    public static int FailOn(int x) => x == 3 ? throw new InvalidOperationException($"bad item {x}") : x;

    public static int Throw(string message) => throw new KeyNotFoundException(message);

    public static int ThrowCustom(int code)
    {
        var ex = new CustomTaskException($"custom failure {code}", new ArgumentException("inner cause"));
        ex.Data["code"] = code;
        throw ex;
    }

    public static int ThrowUnrebuildable(int code) => throw new UnrebuildableException(code);

    /// <summary>Counts calls on this worker (thread-static, so it works for threads and processes alike).</summary>
    public static int CountOnWorker(int _) => ++t_counter;

    public static void Initialize(string value)
    {
        t_initialized = value;
        t_counter = 0;
    }

    public static void InitializeTwo(string value, int number) => t_initialized = value + number;

    public static void FailingInitializer() => throw new FormatException("initializer says no");

    /// <summary>Kills the worker before it is ready (no exception to report): a worker that cannot start.</summary>
    public static void ExitingInitializer() => Environment.Exit(5);

    public static string? ReadInitialized(int _) => t_initialized;

    public static (string? Init, int Worker, int Pid) InitAndWorker(int _) => (t_initialized, WorkerInfo.Current.Index, WorkerInfo.Current.ProcessId);

    public static int WorkerIndex(int _) => WorkerInfo.IsInWorker ? WorkerInfo.Current.Index : -1;

    public static int WorkerPid(int _) => WorkerInfo.IsInWorker ? WorkerInfo.Current.ProcessId : -1;

    /// <summary>Returns at once for item 0; every other item waits for the gate.</summary>
    public static int FirstFastOthersGated(int x, string gate)
    {
        if (x != 0 && !Gate.WaitOpen(gate, GateTimeout))
        {
            throw new TimeoutException("gate never opened");
        }

        return x;
    }

    /// <summary>
    /// 0 returns at once; 1 returns when its token trips (the call was abandoned or cancelled) or the gate file opens;
    /// any other leaves a marker <c>{gate}.ran.{x}</c>, so a test can see which of them ran.
    /// </summary>
    public static int TokenStoppedThenMarked(int x, string gate, CancellationToken token)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (x == 1 && !token.IsCancellationRequested && !File.Exists(gate))
        {
            if (clock.Elapsed > GateTimeout)
            {
                throw new TimeoutException("neither the task's token nor the gate");
            }

            token.WaitHandle.WaitOne(2); // wakes at once when the token trips; polls the gate file meanwhile
        }

        if (x > 1)
        {
            File.WriteAllText($"{gate}.ran.{x}", "ran");
        }

        return x;
    }

    /// <summary>Leaves a marker in <paramref name="folder"/> and waits until <paramref name="parties"/> tasks have: they run at the same time.</summary>
    public static int ArriveAndWaitForAll(string folder, int parties)
    {
        File.WriteAllText(Path.Combine(folder, Guid.NewGuid().ToString("N")), "here");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Directory.GetFiles(folder).Length < parties)
        {
            if (clock.Elapsed > GateTimeout)
            {
                throw new TimeoutException($"only {Directory.GetFiles(folder).Length} of {parties} tasks ever ran at once");
            }

            Thread.Sleep(2); // sleep-ok: polling files written by other processes; bounded by GateTimeout
        }

        return parties;
    }

    /// <summary>Waits for the gate named by <paramref name="gate"/>, or returns at once for an empty name.</summary>
    public static int WaitForGateIfNamed(string gate) => gate.Length == 0 ? 0 : WaitForGate(gate);

    public static int WaitForGate(string gate) => Gate.WaitOpen(gate, GateTimeout) ? 1 : throw new TimeoutException("gate never opened");

    public static IEnumerable<int> Naturals()
    {
        for (int i = 0; ; i++)
        {
            yield return i;
        }
    }

    public static object? ReturnObject(int kind) => kind switch
    {
        0 => 5,
        1 => "text",
        2 => new Point(1, 2),
        _ => null,
    };
}

public sealed record Point(int X, int Y);

public sealed class PlainBag
{
    public string? Name { get; set; }

    public List<int> Numbers { get; set; } = [];

    public Dictionary<string, double> Scores { get; set; } = [];
}

public enum Colour
{
    Red,
    Green,
    Blue,
}

public sealed class CustomTaskException : Exception
{
    public CustomTaskException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

public sealed class UnrebuildableException : Exception
{
    public UnrebuildableException(int code)
        : base($"code {code}")
    {
    }
}
