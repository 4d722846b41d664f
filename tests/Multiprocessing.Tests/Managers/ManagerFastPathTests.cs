using Multiprocessing.Managers;
using Multiprocessing.Tests.Support;
using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Tests.Managers;

/// <summary>
/// The shared-memory fast path (Linux): locks contended by real worker processes, the queue's ring wrapping
/// around, items larger than the ring spilled to the manager in FIFO order, and producers in worker
/// processes filling a bounded queue. The same object semantics are also run with the fast path off
/// (<see cref="ManagerObjectSocketPathTests"/>) and with the manager working on the segments for its
/// clients (<see cref="ManagerObjectServerSideSegmentTests"/>).
/// </summary>
public sealed class ManagerFastPathTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly Manager _manager = new();

    public void Dispose() => _manager.Dispose();

    [Fact]
    public void Lock_ContendedByWorkerProcesses_IsExclusiveAndStaysOnSharedMemory()
    {
        if (!Futex.IsSupported)
        {
            return;
        }

        var sharedLock = _manager.Lock();
        var counter = _manager.Value(0);
        Assert.True(sharedLock.HasSharedMemory);
        using var pool = new Pool(new PoolOptions { Processes = 2, MaxTasksPerChild = 1 });
        var job = (sharedLock, counter, 20_000);
        var results = pool.MapAsync(ManagerTasks.HammerLock, [job, job], chunksize: 1).Get(Timeout);
        Assert.Equal([20_000, 20_000], results);
        Assert.Equal(400, counter.Value);
        Assert.True(sharedLock.TryAcquire(TimeSpan.Zero));
        sharedLock.Release();
    }

    [Fact]
    public void Value_UnmanagedStruct_LivesInSharedMemoryAndRoundTrips()
    {
        var point = _manager.Value((X: 1L, Y: 2.5, Z: (short)3));
        var text = _manager.Value("socket path");
        Assert.Equal(Futex.IsSupported, point.HasSharedMemory);
        Assert.False(text.HasSharedMemory);
        Assert.Equal((1L, 2.5, (short)3), point.Value);
        point.Value = (-7, double.MaxValue, short.MinValue);
        Assert.Equal((-7L, double.MaxValue, short.MinValue), point.Value);
        text.Value = "still works";
        Assert.Equal("still works", text.Value);
    }

    [Fact]
    public void Queue_ManyItemsOfVaryingSize_WrapAroundTheRingInOrder()
    {
        var queue = _manager.Queue<string>();
        Assert.Equal(Futex.IsSupported, queue.HasSharedMemory);
        var expected = new Queue<string>();
        int put = 0;
        for (int got = 0; got < 5_000; got++)
        {
            while (expected.Count < 20)
            {
                string item = $"{put}:" + new string((char)('a' + (put % 26)), (put * 7919) % 4_001);
                queue.Put(item);
                expected.Enqueue(item);
                put++;
            }

            Assert.True(queue.TryGet(Timeout, out string? back));
            Assert.Equal(expected.Dequeue(), back);
        }

        Assert.Equal(expected.Count, queue.Count);
    }

    [Fact]
    public void Queue_ItemLargerThanTheRing_IsSpilledAndOrderIsKept()
    {
        var queue = _manager.Queue<string>();
        string big = new('b', SharedRing.DefaultRingBytes * 3);
        queue.Put("first");
        queue.Put(big);
        queue.Put("after the big one"); // spilled too: nothing may overtake a spilled item
        Assert.Equal(3, queue.Count);
        Assert.Equal("first", queue.Get());
        Assert.Equal(big, queue.Get());
        queue.Put("later");
        Assert.Equal("after the big one", queue.Get());
        Assert.Equal("later", queue.Get());
        Assert.True(queue.IsEmpty);
        queue.Put("back on the ring");
        Assert.True(queue.TryGet(TimeSpan.Zero, out string? last));
        Assert.Equal("back on the ring", last);
    }

    [Fact]
    public void Queue_RingFilledByManyItems_OverflowFollowsInFifoOrder()
    {
        var queue = _manager.Queue<string>();
        var expected = new Queue<string>();
        void Put(string item)
        {
            queue.Put(item);
            expected.Enqueue(item);
        }

        for (int i = 0; i < 12; i++)
        {
            Put($"{i}:" + new string('m', 10_000)); // 120 KB: about half spills
        }

        for (int i = 0; i < 100; i++)
        {
            Put($"small {i}");
        }

        Assert.Equal(expected.Count, queue.Count);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(expected.Dequeue(), queue.Get());
        }

        for (int i = 0; i < 5; i++)
        {
            Put($"more {i}");
        }

        while (expected.Count > 0)
        {
            Assert.True(queue.TryGet(Timeout, out string? item));
            Assert.Equal(expected.Dequeue(), item);
        }

        Assert.False(queue.TryGet(TimeSpan.Zero, out _));
    }

    [Fact]
    public void Queue_BoundedFilledByWorkerProcesses_DeliversEveryItemOnceInEachProducersOrder()
    {
        var queue = _manager.Queue<string>(maxSize: 8);
        using var pool = new Pool(new PoolOptions { Processes = 2, MaxTasksPerChild = 1 });
        const int PerProducer = 5_000;
        var producing = pool.MapAsync(ManagerTasks.ProduceInOrder, [(queue, 0, PerProducer), (queue, 1, PerProducer)], chunksize: 1);
        int[] next = new int[2];
        for (int n = 0; n < 2 * PerProducer; n++)
        {
            Assert.True(queue.TryGet(Timeout, out string? item), $"item {n} never came");
            string[] parts = item!.Split(':');
            int producer = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(next[producer]++, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(queue.Count <= 8);
        }

        Assert.Equal([PerProducer, PerProducer], producing.Get(Timeout));
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public async Task Lock_AsyncWaiterOnSharedMemory_IsGrantedOnReleaseFromAnotherThread()
    {
        var sharedLock = _manager.Lock();
        Assert.True(sharedLock.TryAcquire(TimeSpan.Zero));
        var waiting = sharedLock.AcquireAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        await OtherThread.Run(sharedLock.Release);
        using (await waiting.WaitAsync(Timeout))
        {
            Assert.False(sharedLock.TryAcquire(TimeSpan.Zero));
        }
    }

    [Fact]
    public void Event_SetThenClearedAtOnce_StillReleasesTheWaiter()
    {
        var stop = _manager.Event();
        if (!stop.HasSharedMemory)
        {
            return;
        }

        int waiterTid = 0;
        var waiter = Task.Factory.StartNew(
            () =>
            {
                Volatile.Write(ref waiterTid, Gettid());
                return stop.Wait(Timeout);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        // Deterministic gate: the waiter thread is asleep in the kernel on a futex (bounded poll of /proc).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!IsInFutexWait(Volatile.Read(ref waiterTid)))
        {
            Assert.True(clock.Elapsed < Timeout, "the waiter never went to sleep");
            Thread.Sleep(1); // sleep-ok: polling /proc for another thread's state, bounded by Timeout
        }

        stop.Set();
        stop.Clear();
        Assert.True(waiter.Wait(Timeout));
        Assert.True(waiter.Result);
        Assert.False(stop.IsSet);
    }

    private static bool IsInFutexWait(int tid)
    {
        try
        {
            return tid != 0 && File.ReadAllText($"/proc/self/task/{tid}/wchan").StartsWith("futex", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "gettid")]
    private static extern int Gettid();
}
