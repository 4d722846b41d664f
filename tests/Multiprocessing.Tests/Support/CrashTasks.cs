using System.Runtime.InteropServices;

namespace Multiprocessing.Tests.Support;

/// <summary>Tasks that kill or damage their worker process, for containment tests.</summary>
public static partial class CrashTasks
{
    [LibraryImport("libc")]
    private static partial nuint strlen(IntPtr s);

    public static int FailFast(int _)
    {
        Environment.FailFast("deliberate crash from a test task");
        return 0;
    }

    public static int Exit(int code)
    {
        Environment.Exit(code);
        return 0;
    }

    /// <summary>A real native fault: libc's strlen reads address 0 (SIGSEGV), which no managed handler can catch.</summary>
    public static int ReadNull(int _) => (int)strlen(IntPtr.Zero);

    public static int Overflow(int depth) => depth == int.MaxValue ? 0 : Overflow(depth + 1) + 1;

    public static int KillSelf(int _)
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        self.Kill();
        return 0;
    }

    public static int CrashOn(int x) => x == 5 ? FailFast(x) : x;

    public static int WriteToStderrThenExit(int code)
    {
        Console.Error.WriteLine("last words before exit");
        Environment.Exit(code);
        return 0;
    }

    public static object ReturnDelegate(int _) => new Func<int>(() => 1);

    public static void Print(string marker) => Console.WriteLine(marker);
}

/// <summary>Tasks for timeouts, retries and kills from outside.</summary>
public static class FaultTasks
{
    public static long Spin(int seconds)
    {
        long x = 0;
        var end = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < end)
        {
            x++;
        }

        return x;
    }

    /// <summary>Crashes its worker the first time (leaving a marker file), succeeds the second time.</summary>
    public static int CrashOnce(string marker)
    {
        if (!File.Exists(marker))
        {
            File.WriteAllText(marker, "crashed once");
            Environment.FailFast("first attempt crashes");
        }

        return 7;
    }

    /// <summary>Writes its process id to a file, then waits for the gate.</summary>
    public static int ReportPidThenWait(string pidFile, string gate)
    {
        File.WriteAllText(pidFile + ".tmp", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(pidFile + ".tmp", pidFile);
        return Gate.WaitOpen(gate, Tasks.GateTimeout) ? 1 : 0;
    }

    public static int CrashOnBackgroundThread(int _)
    {
        var t = new Thread(() => throw new InvalidOperationException("unhandled on a background thread"));
        t.Start();
        t.Join();
        return 0;
    }
}

/// <summary>Tasks for cancellation.</summary>
public static class CancelTasks
{
    /// <summary>Waits for its token; when it fires, leaves a marker file (proof the worker tripped it) and stops.</summary>
    public static int WaitForCancellation(string marker, CancellationToken token)
    {
        File.WriteAllText(marker + ".started", "running");
        if (token.WaitHandle.WaitOne(Tasks.GateTimeout))
        {
            File.WriteAllText(marker, "saw cancellation");
            token.ThrowIfCancellationRequested();
        }

        return 0;
    }

    /// <summary>Ignores cancellation: runs until its gate opens.</summary>
    public static int IgnoreCancellation(string gate, CancellationToken token)
    {
        File.WriteAllText(gate + ".started", "running");
        return Gate.WaitOpen(gate, Tasks.GateTimeout) ? 1 : 0;
    }
}

/// <summary>A worker that is itself the parent of a pool, to test what happens when a parent dies.</summary>
public static class NestedTasks
{
    /// <summary>Starts a pool inside this worker, writes "ownPid innerPid innerPid…" to a file, waits for the gate.</summary>
    public static int HoldNestedPool(string pidFile, string gate)
    {
        var inner = new Pool(2);
        var pids = inner.Map(Tasks.WorkerPid, Enumerable.Range(0, 20), 1).Distinct();
        File.WriteAllText(pidFile + ".tmp", string.Join(' ', new[] { Environment.ProcessId }.Concat(pids)));
        File.Move(pidFile + ".tmp", pidFile);
        Gate.WaitOpen(gate, Tasks.GateTimeout);
        inner.Dispose();
        return 0;
    }
}

/// <summary>Tasks that issue follow-up tasks through <see cref="WorkerInfo.Pool"/>.</summary>
public static class FollowUpTasks
{
    public static int SumOfSquares(int n) => WorkerInfo.Current.Pool.Map(Tasks.Square, Enumerable.Range(0, n), 2).Sum();

    public static int SquareViaApply(int n) => WorkerInfo.Current.Pool.Apply(Tasks.Square, n) + 1;

    public static string FollowUpThrows(string key) => WorkerInfo.Current.Pool.Apply(Tasks.Throw, key).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Async task functions.</summary>
public static class AsyncTasks
{
    public static async Task<int> DoubleLater(int x)
    {
        await Task.Yield();
        return x * 2;
    }

    public static async ValueTask<string> EchoLater(string s)
    {
        await Task.Yield();
        return s;
    }

    public static async Task<int> FailLater(int x)
    {
        await Task.Yield();
        throw new InvalidOperationException($"async failure {x}");
    }

    /// <summary><see cref="WaitForPeers"/> with three arguments, for Starmap.</summary>
    public static Task<int> WaitForPeersStar(string dir, int index, int expected) => WaitForPeers((dir, index, expected));

    /// <summary>Marks itself started, then waits (bounded) until <paramref name="expected"/> tasks have: proof they run at once.</summary>
    public static async Task<int> WaitForPeers((string Dir, int Index, int Expected) a)
    {
        File.WriteAllText(Path.Combine(a.Dir, a.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)), "started");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Directory.GetFiles(a.Dir).Length < a.Expected)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("the other tasks never started: they did not run concurrently");
            }

            await Task.Delay(5); // sleep-ok: polling files written by concurrent tasks, bounded
        }

        return Environment.ProcessId;
    }
}

/// <summary>Reads the trace context a task runs under.</summary>
public static class TraceTasks
{
    public static string? CurrentTraceId(int _) => System.Diagnostics.Activity.Current?.TraceId.ToString();
}

/// <summary>Task functions of every arity, returning ValueTask or Task, as method groups.</summary>
public static class TaskFunctions
{
    public static async ValueTask<int> Zero()
    {
        await Task.Yield();
        return 1;
    }

    public static async ValueTask<int> DoubleValue(int x)
    {
        await Task.Yield();
        return x * 2;
    }

    public static async ValueTask<int> Add2(int a, int b)
    {
        await Task.Yield();
        return a + b;
    }

    public static async ValueTask<int> Add3(int a, int b, int c)
    {
        await Task.Yield();
        return a + b + c;
    }

    public static async ValueTask<int> Add4(int a, int b, int c, int d)
    {
        await Task.Yield();
        return a + b + c + d;
    }

    public static async Task<int> FailAdd2(int a, int b)
    {
        await Task.Yield();
        throw new InvalidOperationException($"async failure {a + b}");
    }
}

/// <summary>Task functions whose last parameter is the token the pool supplies.</summary>
public static class TokenTasks
{
    public static int Zero(CancellationToken token) => token.IsCancellationRequested ? -1 : 0;

    public static int One(int a, CancellationToken token) => token.IsCancellationRequested ? -1 : a;

    public static int Two(int a, int b, CancellationToken token) => token.IsCancellationRequested ? -1 : a + b;

    public static int Three(int a, int b, int c, CancellationToken token) => token.IsCancellationRequested ? -1 : a + b + c;

    public static async ValueTask<int> DoubleLater(int x, CancellationToken token)
    {
        await Task.Yield();
        return token.IsCancellationRequested ? -1 : x * 2;
    }
}
