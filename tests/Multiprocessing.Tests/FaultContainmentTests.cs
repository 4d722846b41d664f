using System.Diagnostics;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests;

/// <summary>Issue 3: crashes, retries, timeouts and shutdown, always with real worker processes.</summary>
public sealed class FaultContainmentTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void TaskTimeout_TightLoop_KillsWorkerAndFailsWithTaskTimeout()
    {
        using var pool = new Pool(new PoolOptions { Processes = 1, TaskTimeout = TimeSpan.FromSeconds(1) });
        int before = pool.Apply(Tasks.WorkerPid, 0);
        var ex = Assert.Throws<TaskTimeoutException>(() => pool.Apply(FaultTasks.Spin, 30));
        Assert.Equal(before, ex.ProcessId);
        Assert.IsAssignableFrom<TimeoutException>(ex);
        int after = pool.Apply(Tasks.WorkerPid, 0);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void TaskTimeoutScope_PerCallOverride_AppliesOnlyInsideTheScope()
    {
        using var pool = new Pool(new PoolOptions { Processes = 1 });
        using (Pool.WithTaskTimeout(TimeSpan.FromSeconds(1)))
        {
            var ex = Assert.Throws<TaskTimeoutException>(() => pool.Apply(FaultTasks.Spin, 30));
            Assert.Equal(TimeSpan.FromSeconds(1), ex.Timeout);
        }

        Assert.True(pool.Apply(FaultTasks.Spin, 1) > 0, "outside the scope there is no limit");

        using var strict = new Pool(new PoolOptions { Processes = 1, TaskTimeout = TimeSpan.FromSeconds(1) });
        using (Pool.WithTaskTimeout(TimeSpan.FromSeconds(30)))
        {
            Assert.True(strict.Apply(FaultTasks.Spin, 2) > 0, "the scope's longer limit replaces the pool's");
        }

        Assert.Throws<TaskTimeoutException>(() => strict.Apply(FaultTasks.Spin, 30));
    }

    [Fact]
    public void MaxRetries_TaskLostToCrash_RunsAgainOnFreshWorker()
    {
        string marker = Path.Combine(Path.GetTempPath(), "mp-once-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var pool = new Pool(new PoolOptions { Processes = 1, MaxRetries = 1 });
            Assert.Equal(7, pool.Apply(FaultTasks.CrashOnce, marker));
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public void MaxRetries_PoisonTask_FailsListingAttemptsAndPoolSurvives()
    {
        using var pool = new Pool(new PoolOptions { Processes = 2, MaxRetries = 2 });
        var ex = Assert.Throws<WorkerCrashedException>(() => pool.Apply(CrashTasks.FailFast, 0));
        Assert.Contains("tried 3 times", ex.Message);
        Assert.Equal(Enumerable.Range(0, 10), pool.Map(Tasks.Identity, Enumerable.Range(0, 10), 1));
    }

    [Fact]
    public void MaxRetries_TaskThatThrows_IsNotRetried()
    {
        using var pool = new Pool(new PoolOptions { Processes = 1, MaxRetries = 5 });
        Assert.Throws<KeyNotFoundException>(() => pool.Apply(Tasks.Throw, "once"));
    }

    [Fact]
    public void Sigkill_FromOutside_FailsThatTaskWithSignal()
    {
        using var gate = new Gate();
        string pidFile = gate.Path + ".pid";
        using var pool = new Pool(2);
        var result = pool.ApplyAsync(FaultTasks.ReportPidThenWait, pidFile, gate.Path);
        Assert.True(Gate.WaitOpen(pidFile, Timeout));
        using (var victim = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile))))
        {
            victim.Kill();
        }

        Assert.True(result.Wait(Timeout));
        var ex = Assert.Throws<WorkerCrashedException>(() => result.Get());
        Assert.Equal(9, ex.Signal);
        Assert.Equal(4, pool.Apply(Tasks.Square, 2));
        File.Delete(pidFile);
    }

    [Fact]
    public void UnhandledExceptionOnBackgroundThread_FailsTaskWithWorkerCrashed()
    {
        using var pool = new Pool(1);
        var ex = Assert.Throws<WorkerCrashedException>(() => pool.Apply(FaultTasks.CrashOnBackgroundThread, 0));
        Assert.Contains(ex.LastStandardError, l => l.Contains("unhandled on a background thread"));
        Assert.Equal(1, pool.Apply(Tasks.Identity, 1));
    }

    [Fact]
    public void Join_TaskStuck_ReturnsFalseThenTerminateEndsIt()
    {
        using var gate = new Gate();
        var pool = new Pool(1);
        try
        {
            var stuck = pool.ApplyAsync(Tasks.WaitForGate, gate.Path);
            pool.Close();
            Assert.False(pool.Join(TimeSpan.FromMilliseconds(200)));
            pool.Terminate();
            Assert.True(pool.Join(Timeout));
            Assert.Throws<PoolTerminatedException>(() => stuck.Get(Timeout));
        }
        finally
        {
            gate.Open();
            pool.Dispose();
        }
    }

    [Fact]
    public void Cancel_RunningTaskTakingToken_SeesCancellationAndWorkerSurvives()
    {
        using var gate = new Gate();
        string marker = gate.Path + ".cancelled";
        using var pool = new Pool(new PoolOptions { Processes = 1, CancellationGracePeriod = TimeSpan.FromSeconds(30) });
        int pid = pool.Apply(Tasks.WorkerPid, 0);
        using var cts = new CancellationTokenSource();
        var running = pool.ApplyAsync(CancelTasks.WaitForCancellation, marker, CancellationToken.None, cancellationToken: cts.Token);
        Assert.True(Gate.WaitOpen(marker + ".started", Timeout), "the task never started");
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => running.Get(Timeout));
        Assert.True(Gate.WaitOpen(marker, Timeout), "the running task never saw its token fire");
        Assert.Equal(pid, pool.Apply(Tasks.WorkerPid, 0));
        File.Delete(marker);
        File.Delete(marker + ".started");
    }

    [Fact]
    public void Cancel_RunningTaskIgnoringToken_WorkerKilledAfterGracePeriod()
    {
        using var gate = new Gate();
        using var pool = new Pool(new PoolOptions { Processes = 1, CancellationGracePeriod = TimeSpan.FromMilliseconds(100) });
        int pid = pool.Apply(Tasks.WorkerPid, 0);
        var running = pool.ApplyAsync(CancelTasks.IgnoreCancellation, gate.Path, CancellationToken.None);
        Assert.True(Gate.WaitOpen(gate.Path + ".started", Timeout), "the task never started");
        running.Cancel();
        Assert.Throws<OperationCanceledException>(() => running.Get(Timeout));
        Assert.NotEqual(pid, pool.Apply(Tasks.WorkerPid, 0));
        File.Delete(gate.Path + ".started");
    }

    [Fact]
    public void MaxMemoryPerChild_Exceeded_RecyclesWorkerWithoutFailingTasks()
    {
        using var pool = new Pool(new PoolOptions { Processes = 1, MaxMemoryPerChild = 1 });
        var pids = pool.Map(Tasks.WorkerPid, Enumerable.Range(0, 4), 1);
        Assert.Equal(4, pids.Count);
        Assert.True(pids.Distinct().Count() >= 2, "a worker over its memory limit must be replaced");
    }
}

/// <summary>
/// Kills child processes of the test process at random, so it must run alone: any other test's workers
/// would be victims too.
/// </summary>
[CollectionDefinition(nameof(ChaosCollection), DisableParallelization = true)]
public sealed class ChaosCollection;

[Collection(nameof(ChaosCollection))]
public sealed class ChaosTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void Chaos_WorkersKilledAtRandom_MapReturnsExactResultsInOrder()
    {
        const int n = 100_000;
        // Replacements may be killed while they start, too: allow that as often as it happens.
        using var pool = new Pool(new PoolOptions { Processes = 2, MaxRetries = 1000, MaxInitializerFailures = 1000 });
        var map = pool.MapAsync(Tasks.Square, Enumerable.Range(0, n), chunksize: 500);
        var random = new Random(12345);
        int kills = 0;
        var clock = Stopwatch.StartNew();
        while (!map.IsReady && clock.Elapsed < Timeout)
        {
            var workers = ChildProcesses.Of(Environment.ProcessId);
            if (workers.Count > 0 && kills < 20)
            {
                int pid = workers[random.Next(workers.Count)];
                try
                {
                    using var p = Process.GetProcessById(pid);
                    p.Kill();
                    kills++;
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }

            map.Wait(TimeSpan.FromMilliseconds(random.Next(5, 40)));
        }

        var results = map.Get(Timeout);
        Assert.Equal(n, results.Count);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(i * i, results[i]);
        }

        Assert.True(kills > 0, "the chaos loop never found a worker to kill");
    }
}

/// <summary>
/// Opt-in soak (MP_SOAK=1, or MP_SOAK=&lt;tasks&gt;): ten million tasks through Imap and ApplyAsync while the
/// parent's memory is sampled; the working set must stay flat (no per-task leak). Without the variable the
/// test checks the same on 200,000 tasks, so it always runs and can always fail. It measures this process's
/// managed heap, so it runs alone (other tests' allocations would count).
/// </summary>
[Collection(nameof(ChaosCollection))]
public sealed class SoakTests
{
    [Fact]
    public void Soak_ManyTasks_ParentMemoryStaysFlat()
    {
        long total = Environment.GetEnvironmentVariable("MP_SOAK") is { Length: > 0 } soak
            ? (long.TryParse(soak, out long n) && n > 1 ? n : 10_000_000)
            : 200_000;
        using var pool = new Pool(2);
        long done = 0;
        long baseline = 0;
        long peakAfterWarmup = 0;
        foreach (var r in pool.Imap(Tasks.Identity, Enumerable.Range(0, int.MaxValue).Select(i => i & 0xFFFF).Take((int)Math.Min(total, int.MaxValue)), 64))
        {
            done++;
            if (done % 50_000 == 0)
            {
                GC.Collect();
                long now = GC.GetTotalMemory(forceFullCollection: false);
                if (done == 50_000)
                {
                    baseline = now;
                }
                else
                {
                    peakAfterWarmup = Math.Max(peakAfterWarmup, now);
                }
            }
        }

        Assert.Equal(total, done);
        Console.WriteLine($"soak: {done} tasks, managed heap {baseline / 1e6:F1} MB after warm-up, peak {peakAfterWarmup / 1e6:F1} MB");
        Assert.True(peakAfterWarmup < baseline + (64L << 20), $"managed heap grew from {baseline} to {peakAfterWarmup} bytes");
    }
}
