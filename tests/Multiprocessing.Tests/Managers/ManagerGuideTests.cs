using System.Diagnostics;
using Multiprocessing.Managers;
using Multiprocessing.Managers.Server;
using Xunit.Abstractions;

namespace Multiprocessing.Tests.Managers;

/// <summary>
/// The guide's sharing patterns, run once with <see cref="Pool"/> (real worker processes) and once with
/// <see cref="ThreadedPool"/>. Where tasks must run at the same time, the process pool uses
/// <c>MaxTasksPerChild = 1</c> so that each task gets a worker of its own.
/// </summary>
public abstract class ManagerGuideTests(ITestOutputHelper output, bool sharedMemory = true) : IDisposable
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    protected Manager Manager { get; } = new(sharedMemory ? ManagerFastPath.On : ManagerFastPath.Off);

    protected abstract bool UsesProcesses { get; }

    public void Dispose()
    {
        Manager.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract IPool CreatePool(PoolOptions options);

    /// <summary>A pool in which <paramref name="tasks"/> tasks all run at once.</summary>
    protected IPool CreateConcurrentPool(int tasks, PoolOptions? options = null) =>
        CreatePool((options ?? new PoolOptions()) with { Processes = tasks, MaxTasksPerChild = UsesProcesses ? 1 : null });

    [Fact]
    public void StopEvent_SetByParent_StopsEveryRunningTask()
    {
        var stop = Manager.Event();
        var started = Manager.Queue<int>();
        using var pool = CreateConcurrentPool(2);
        var running = pool.StarmapAsync(ManagerTasks.RunUntilStopped, [(stop, started, 0), (stop, started, 1)], chunksize: 1);
        Assert.True(started.TryGet(Timeout, out _));
        Assert.True(started.TryGet(Timeout, out _));
        Assert.False(running.IsReady);
        stop.Set();
        Assert.All(running.Get(Timeout), rounds => Assert.True(rounds >= 0, "a task never saw the stop event"));
    }

    [Fact]
    public void FirstResult_QueueSharedThroughInitializer_DeliversFastestResultFirst()
    {
        var results = Manager.Queue<int>();
        var release = Manager.Event();
        using var pool = CreatePool(new PoolOptions
        {
            Processes = 2,
            Initializer = ManagerTasks.InitResults,
            InitArgs = [results, release],
        });
        var all = pool.MapAsync(ManagerTasks.ReportResult, [0, 1, 2, 3], chunksize: 1);
        Assert.True(results.TryGet(Timeout, out int first));
        Assert.Equal(0, first);
        Assert.False(results.TryGet(TimeSpan.FromMilliseconds(50), out _)); // the others are still held back
        release.Set();
        Assert.Equal([0, 1, 2, 3], all.Get(Timeout));
        var rest = new[] { results.Get(), results.Get(), results.Get() };
        Assert.Equal([10, 20, 30], rest.Order());
    }

    [Fact]
    public void Counter_IncrementedUnderSharedLockByFourWorkers_IsExact()
    {
        int increments = UsesProcesses ? 10_000 : 2_000;
        var counter = Manager.Value(0);
        var sharedLock = Manager.Lock();
        using var pool = CreateConcurrentPool(4);
        var clock = Stopwatch.StartNew();
        var done = pool.Map(ManagerTasks.CountUnderLock, Enumerable.Repeat(new CounterJob(counter, sharedLock, increments), 4), chunksize: 1);
        output.WriteLine($"{4 * increments} locked increments in {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(Enumerable.Repeat(increments, 4), done);
        Assert.Equal(4 * increments, counter.Value);
    }

    [Fact]
    public void Barrier_Parties_AreReleasedTogether()
    {
        var barrier = Manager.Barrier(3);
        var arrivals = Manager.List<int>();
        using var pool = CreateConcurrentPool(3);
        var results = pool.Starmap(ManagerTasks.MeetAtBarrier, [(barrier, arrivals, 0), (barrier, arrivals, 1), (barrier, arrivals, 2)], chunksize: 1);
        Assert.Equal([0, 1, 2], results.Select(r => r.Index).Order());
        Assert.All(results, r => Assert.Equal(3, r.ArrivedWhenReleased)); // nobody passed before the last arrived
    }

    [Fact]
    public void JoinableQueue_ConsumersMarkEachItemDone_JoinReturnsWhenAllAreProcessed()
    {
        var jobs = Manager.JoinableQueue<int>(maxSize: 10);
        var results = Manager.Queue<int>();
        using var pool = CreateConcurrentPool(2);
        var consuming = pool.MapAsync(ManagerTasks.ConsumeAndMarkDone, [(jobs, results, 50), (jobs, results, 50)], chunksize: 1);
        for (int i = 0; i < 100; i++)
        {
            jobs.Put(i);
        }

        Assert.True(jobs.Join(Timeout));
        Assert.Equal(100, results.Count); // join returned only after every result was put
        Assert.Equal([50, 50], consuming.Get(Timeout));
        var all = Enumerable.Range(0, 100).Select(_ => results.Get()).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 2), all);
    }

    [Fact]
    public void Queue_ProxiesAsTaskArguments_CarryRequestsAndReplies()
    {
        var requests = Manager.Queue<string>();
        var replies = Manager.Queue<string>();
        using var pool = CreatePool(new PoolOptions { Processes = 1 });
        var task = pool.ApplyAsync(ManagerTasks.EchoThroughQueue, requests, replies);
        requests.Put("ping");
        Assert.True(replies.TryGet(Timeout, out string? reply));
        Assert.Equal("echo:ping", reply);
        Assert.Equal(1, task.Get(Timeout));
    }
}

public sealed class ProcessPoolManagerGuideTests(ITestOutputHelper output) : ManagerGuideTests(output)
{
    protected override bool UsesProcesses => true;

    protected override IPool CreatePool(PoolOptions options) => new Pool(options);
}

/// <summary>The same patterns across processes with the shared-memory fast path off: every call a round trip.</summary>
public sealed class ProcessPoolManagerGuideSocketPathTests(ITestOutputHelper output) : ManagerGuideTests(output, sharedMemory: false)
{
    protected override bool UsesProcesses => true;

    protected override IPool CreatePool(PoolOptions options) => new Pool(options);
}

public sealed class ThreadedPoolManagerGuideTests(ITestOutputHelper output) : ManagerGuideTests(output)
{
    protected override bool UsesProcesses => false;

    protected override IPool CreatePool(PoolOptions options) => new ThreadedPool(options);
}
