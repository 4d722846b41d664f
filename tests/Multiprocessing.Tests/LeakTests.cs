using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Multiprocessing.Tests;

/// <summary>CPython's test_release_task_refs and test_resource_warning, with real workers.</summary>
public sealed class LeakTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Map_ThreadedPoolIdleAfterwards_ReleasesArgumentsAndResults()
    {
        using var pool = new ThreadedPool(2);
        var refs = MapAndForget(pool);
        Assert.True(CollectUntil(() => refs.All(r => !r.IsAlive)), $"{refs.Count(r => r.IsAlive)} of {refs.Length} arguments and results are still alive");

        // The threads still work afterwards.
        Assert.Equal([1, 4], pool.Map(static (int x) => x * x, [1, 2]));
    }

    [Fact]
    public void Pool_DroppedWithoutDispose_IsCollectedWarnsAndItsWorkersExit()
    {
        var logger = new RecordingLogger();
        var (pool, pids) = StartAndDrop(logger);
        Assert.NotEmpty(pids);
        Assert.True(CollectUntil(() => !pool.IsAlive), "the pool was never collected");
        Assert.True(SpinWait.SpinUntil(() => pids.All(IsGone), Timeout), "its workers outlived it");
        var warning = Assert.Single(logger.Entries, e => e.EventId.Name == "PoolNotDisposed");
        Assert.Equal(LogLevel.Warning, warning.Level);
    }

    [Fact]
    public void ThreadedPool_DroppedWithoutDispose_IsCollectedAndWarns()
    {
        var logger = new RecordingLogger();
        var pool = StartAndDropThreaded(logger);
        Assert.True(CollectUntil(() => !pool.IsAlive), "the pool was never collected");
        Assert.Single(logger.Entries, e => e.EventId.Name == "PoolNotDisposed");
    }

    [Fact]
    public void Pool_DroppedWithResultPending_StaysAliveUntilTheResultIsDone()
    {
        var result = SubmitAndDrop();
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.Equal(49, result.Get(Timeout));
    }

    [Fact]
    public void Pool_ConstructorThrew_IsFinalizedQuietly()
    {
        // The finalizer runs on a half-built pool too (no executor): a throw there would end this process.
        FailToConstruct();
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        using var pool = new Pool(1);
        Assert.Equal(4, pool.Apply(Support.Tasks.Square, 2));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailToConstruct() => Assert.Throws<ArgumentException>(() => new Pool(new PoolOptions { Processes = 0 }));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference[] MapAndForget(ThreadedPool pool)
    {
        var items = Enumerable.Range(0, 8).Select(i => new Payload(i)).ToArray();
        IReadOnlyList<Payload> results = pool.Map(static (Payload p) => new Payload(p.Value + 1), items, chunksize: 1);
        return [.. items.Select(i => new WeakReference(i)), .. results.Select(r => new WeakReference(r))];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Pool, int[] Pids) StartAndDrop(ILogger logger)
    {
        var pool = new Pool(new PoolOptions { Processes = 2, Logger = logger });
        int[] pids = [.. pool.Map(Support.Tasks.WorkerPid, Enumerable.Range(0, 8), 1).Distinct()];
        return (new WeakReference(pool), pids);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference StartAndDropThreaded(ILogger logger)
    {
        var pool = new ThreadedPool(new PoolOptions { Processes = 2, Logger = logger });
        Assert.Equal([0, 1, 4], pool.Map(static (int x) => x * x, [0, 1, 2]));
        return new WeakReference(pool);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static AsyncResult<int> SubmitAndDrop()
    {
        var pool = new Pool(1);
        return pool.ApplyAsync(Support.Tasks.Square, 7);
    }

    /// <summary>Collects until <paramref name="done"/> holds (finalizers included), at most 50 times.</summary>
    private static bool CollectUntil(Func<bool> done)
    {
        for (int i = 0; i < 50 && !done(); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return done();
    }

    internal static bool IsGone(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }

    public sealed record Payload(int Value);
}
