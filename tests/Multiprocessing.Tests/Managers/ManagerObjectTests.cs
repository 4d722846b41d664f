using Multiprocessing.Managers;
using Multiprocessing.Tests.Support;
using Multiprocessing.Managers.Server;

namespace Multiprocessing.Tests.Managers;

/// <summary>
/// The semantics of every shared object, through real proxies and the manager's socket, from threads of
/// this process. "Must not happen" checks use a short timeout; every other wait is bounded by <see cref="Timeout"/>.
/// </summary>
public abstract class ManagerObjectTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);

    private readonly Manager _manager;

    private protected ManagerObjectTests(ManagerFastPath fastPath) => _manager = new Manager(fastPath);

    public void Dispose()
    {
        _manager.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Lock_HeldElsewhere_TryAcquireTimesOutThenSucceedsAfterRelease()
    {
        var sharedLock = _manager.Lock();
        Assert.True(sharedLock.TryAcquire(TimeSpan.Zero));
        var other = OtherThread.Run(() => sharedLock.TryAcquire(Short));
        Assert.True(other.Wait(Timeout));
        Assert.False(other.Result);
        var waiter = OtherThread.Run(() => sharedLock.TryAcquire(Timeout));
        Assert.False(waiter.IsCompleted);
        sharedLock.Release();
        Assert.True(waiter.Wait(Timeout));
        Assert.True(waiter.Result);
        sharedLock.Release();
    }

    [Fact]
    public void Lock_ReleaseWhenUnlocked_ThrowsSynchronizationLockException()
    {
        var sharedLock = _manager.Lock();
        Assert.Throws<SynchronizationLockException>(sharedLock.Release);
        using (sharedLock.Acquire())
        {
            Assert.False(sharedLock.TryAcquire(TimeSpan.Zero));
        }

        Assert.True(sharedLock.TryAcquire(TimeSpan.Zero));
        sharedLock.Release();
    }

    [Fact]
    public async Task Lock_AcquireAsyncCancelled_ThrowsAndLeavesLockUsable()
    {
        var sharedLock = _manager.Lock();
        using var held = sharedLock.Acquire();
        using var cts = new CancellationTokenSource();
        var waiting = sharedLock.AcquireAsync(cts.Token).AsTask();
        Assert.False(waiting.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Timeout));
        Assert.False(await sharedLock.TryAcquireAsync(TimeSpan.Zero));
    }

    [Fact]
    public void Lock_BlockingAcquireCancelled_ThrowsPromptlyAndConnectionStaysUsable()
    {
        var sharedLock = _manager.Lock();
        sharedLock.Acquire();
        using var cts = new CancellationTokenSource();
        var waiting = OtherThread.Run(() => sharedLock.Acquire(cts.Token));
        Assert.False(waiting.Wait(Short));
        cts.Cancel();
        var ex = Assert.Throws<AggregateException>(() => waiting.Wait(Timeout));
        Assert.IsAssignableFrom<OperationCanceledException>(ex.InnerException);
        sharedLock.Release();
        Assert.True(OtherThread.Run(() => sharedLock.TryAcquire(Timeout)).Wait(Timeout));
    }

    [Fact]
    public void Lock_IsLocked_SeenFromAnotherThreadWhileHeld()
    {
        var sharedLock = _manager.Lock();
        Assert.False(sharedLock.IsLocked);
        using (sharedLock.Acquire())
        {
            Assert.True(OtherThread.Call(() => sharedLock.IsLocked, Timeout));
        }

        Assert.False(sharedLock.IsLocked);
    }

    [Fact]
    public void List_UsedAsIList_BehavesLikeAList()
    {
        // CPython's test_list_isinstance: the proxy stands in for the collection it shares.
        IList<string> list = _manager.List<string>();
        list.Add("a");
        list.Add("b");
        list.Add("a");
        Assert.Equal(1, list.IndexOf("b"));
        Assert.Equal(-1, list.IndexOf("z"));
        Assert.Contains("a", list);
        Assert.True(list.Remove("a"));
        Assert.False(list.Remove("z"));
        Assert.Equal(["b", "a"], list.ToArray());
        var copy = new string[3];
        list.CopyTo(copy, 1);
        Assert.Equal(["b", "a"], copy[1..]);
        Assert.False(list.IsReadOnly);
    }

    [Fact]
    public void Dictionary_UsedAsIDictionary_BehavesLikeADictionary()
    {
        // CPython's test_dict_isinstance.
        IDictionary<string, int> dict = _manager.Dictionary<string, int>();
        dict.Add("one", 1);
        Assert.Throws<ArgumentException>(() => dict.Add("one", 11));
        dict["two"] = 2;
        Assert.Equal(["one", "two"], dict.Keys.Order());
        Assert.Equal([1, 2], dict.Values.Order());
        Assert.Contains(new KeyValuePair<string, int>("two", 2), dict);
        Assert.False(dict.Remove(new KeyValuePair<string, int>("two", 3)));
        Assert.True(dict.Remove(new KeyValuePair<string, int>("two", 2)));
        Assert.Equal([new KeyValuePair<string, int>("one", 1)], dict.ToArray());
    }

    [Fact]
    public void RLock_SameThread_ReentersAndNeedsEveryRelease()
    {
        var rlock = _manager.RLock();
        rlock.Acquire();
        rlock.Acquire();
        rlock.Release();
        Assert.False(OtherThread.Call(() => rlock.TryAcquire(TimeSpan.Zero), Timeout));
        rlock.Release();
        Assert.True(OtherThread.Call(() =>
        {
            bool got = rlock.TryAcquire(TimeSpan.Zero);
            rlock.Release();
            return got;
        }, Timeout));
    }

    [Fact]
    public void RLock_ReleaseByOtherThread_ThrowsSynchronizationLockException()
    {
        var rlock = _manager.RLock();
        using (rlock.Acquire())
        {
            var ex = Assert.Throws<AggregateException>(() => OtherThread.Run(rlock.Release).Wait(Timeout));
            Assert.IsType<SynchronizationLockException>(ex.InnerException);
        }
    }

    [Fact]
    public void Semaphore_Counts_AcquiresUpToCountThenWaits()
    {
        var semaphore = _manager.Semaphore(2);
        Assert.True(semaphore.TryAcquire(TimeSpan.Zero));
        Assert.True(semaphore.TryAcquire(TimeSpan.Zero));
        Assert.False(semaphore.TryAcquire(Short));
        Assert.Equal(0, semaphore.CurrentCount);
        semaphore.Release(2);
        Assert.Equal(2, semaphore.CurrentCount);
        semaphore.Release(); // unbounded: may pass the initial count, as in Python
        Assert.Equal(3, semaphore.CurrentCount);
    }

    [Fact]
    public void BoundedSemaphore_ReleasePastInitialCount_ThrowsSemaphoreFullException()
    {
        var semaphore = _manager.BoundedSemaphore(1);
        Assert.Throws<SemaphoreFullException>(semaphore.Release);
        using (semaphore.Acquire())
        {
            Assert.Equal(0, semaphore.CurrentCount);
        }

        Assert.Equal(1, semaphore.CurrentCount);
    }

    [Fact]
    public async Task Event_SetClearWait_BehavesLikePython()
    {
        var ev = _manager.Event();
        Assert.False(ev.IsSet);
        Assert.False(ev.Wait(TimeSpan.Zero));
        var waiting = ev.WaitAsync(Timeout);
        var blocking = OtherThread.Run(() => ev.Wait(Timeout));
        Assert.False(waiting.IsCompleted);
        ev.Set();
        Assert.True(await waiting);
        Assert.True(await blocking);
        Assert.True(ev.IsSet);
        Assert.True(ev.Wait(TimeSpan.Zero));
        ev.Clear();
        Assert.False(ev.IsSet);
        Assert.False(await ev.WaitAsync(Short));
    }

    [Fact]
    public void Condition_WaitAndNotify_WakesWaiterHoldingLock()
    {
        var condition = _manager.Condition();
        var items = _manager.List<int>();
        var consumer = OtherThread.Run(() =>
        {
            using (condition.Acquire())
            {
                bool ready = condition.WaitFor(() => items.Count > 0, Timeout);
                return (ready, items[0]);
            }
        });
        Assert.False(consumer.Wait(Short));
        using (condition.Acquire())
        {
            items.Add(7);
            condition.NotifyAll();
        }

        Assert.True(consumer.Wait(Timeout));
        Assert.Equal((true, 7), consumer.Result);
    }

    [Fact]
    public void Condition_WaitTimesOut_ReturnsFalseHoldingLock()
    {
        var condition = _manager.Condition();
        using (condition.Acquire())
        {
            Assert.False(condition.Wait(Short));
            condition.Notify(); // still the owner: notify is allowed
        }

        Assert.Throws<SynchronizationLockException>(() => condition.Wait(Short));
        Assert.Throws<SynchronizationLockException>(() => condition.Notify());
    }

    [Fact]
    public void ConditionOverLock_WaitAndNotify_WakesWaiterHoldingTheLock()
    {
        var sharedLock = _manager.Lock();
        var condition = _manager.Condition(sharedLock);
        var ready = _manager.Value(0);
        Assert.Throws<SynchronizationLockException>(() => condition.Notify());
        using (condition.Acquire())
        {
            Assert.False(sharedLock.TryAcquire(TimeSpan.Zero)); // the condition's lock is the shared lock
            Assert.False(condition.Wait(Short)); // timed out, and holds the lock again
            Assert.False(sharedLock.TryAcquire(TimeSpan.Zero));
        }

        var waiter = OtherThread.Run(() =>
        {
            using (sharedLock.Acquire())
            {
                bool seen = condition.WaitFor(() => ready.Value == 1, Timeout);
                return seen && !sharedLock.TryAcquire(TimeSpan.Zero);
            }
        });

        // Either order is fine: the waiter sees the value before waiting, or is parked and notified.
        using (sharedLock.Acquire())
        {
            ready.Value = 1;
            condition.NotifyAll();
        }

        Assert.True(waiter.Wait(Timeout));
        Assert.True(waiter.Result);
        using var other = new Manager();
        Assert.Throws<ArgumentException>(() => other.Condition(sharedLock));
    }

    [Fact]
    public void Barrier_AllPartiesArrive_ReleasesEachWithDistinctIndex()
    {
        var barrier = _manager.Barrier(3);
        Assert.Equal(3, barrier.Parties);
        var parties = Enumerable.Range(0, 3).Select(_ => OtherThread.Run(() => barrier.SignalAndWait(Timeout))).ToArray();
        Assert.True(Task.WaitAll(parties, Timeout));
        Assert.Equal([0, 1, 2], parties.Select(p => p.Result).Order());
        Assert.Equal(0, barrier.WaitingCount);
        Assert.False(barrier.IsBroken);
    }

    [Fact]
    public void Barrier_PartyTimesOut_BreaksBarrierForEveryoneUntilReset()
    {
        var barrier = _manager.Barrier(3);
        var other = OtherThread.Run(() => barrier.SignalAndWait(Timeout));
        Assert.Throws<BrokenBarrierException>(() => barrier.SignalAndWait(TimeSpan.FromMilliseconds(200)));
        var ex = Assert.Throws<AggregateException>(() => other.Wait(Timeout));
        Assert.IsType<BrokenBarrierException>(ex.InnerException);
        Assert.True(barrier.IsBroken);
        Assert.Throws<BrokenBarrierException>(() => barrier.SignalAndWait());
        barrier.Reset();
        Assert.False(barrier.IsBroken);
    }

    [Fact]
    public void Barrier_Abort_FailsWaitingParty()
    {
        var barrier = _manager.Barrier(2);
        var waiting = barrier.SignalAndWaitAsync().AsTask();
        Assert.False(waiting.Wait(Short));
        barrier.Abort();
        Assert.Throws<BrokenBarrierException>(() => waiting.GetAwaiter().GetResult());
    }

    [Fact]
    public void Queue_Unbounded_IsFifoAndReportsEmpty()
    {
        var queue = _manager.Queue<string>();
        Assert.True(queue.IsEmpty);
        Assert.False(queue.IsFull);
        foreach (var s in new[] { "a", "b", "c" })
        {
            queue.Put(s);
        }

        Assert.Equal(3, queue.Count);
        Assert.Equal(["a", "b", "c"], new[] { queue.Get(), queue.Get(), queue.Get() });
        Assert.False(queue.TryGet(Short, out _));
    }

    [Fact]
    public void Queue_Bounded_PutWaitsForRoom()
    {
        var queue = _manager.Queue<int>(maxSize: 2);
        queue.Put(1);
        Assert.True(queue.TryPut(2, TimeSpan.Zero));
        Assert.True(queue.IsFull);
        Assert.False(queue.TryPut(3, Short));
        var putter = OtherThread.Run(() => queue.TryPut(3, Timeout));
        Assert.False(putter.Wait(Short));
        Assert.Equal(1, queue.Get());
        Assert.True(putter.Wait(Timeout));
        Assert.True(putter.Result);
        Assert.Equal([2, 3], new[] { queue.Get(), queue.Get() });
    }

    [Fact]
    public async Task Queue_GetAsync_CompletesWhenItemArrives()
    {
        var queue = _manager.Queue<Support.Point>();
        var getting = queue.GetAsync().AsTask();
        Assert.False(getting.IsCompleted);
        await queue.PutAsync(new Support.Point(1, 2));
        Assert.Equal(new Support.Point(1, 2), await getting.WaitAsync(Timeout));
    }

    [Fact]
    public void Queue_GetCancelled_RemovesNothing()
    {
        var queue = _manager.Queue<int>();
        using var cts = new CancellationTokenSource();
        var getting = OtherThread.Run(() => queue.Get(cts.Token));
        Assert.False(getting.Wait(Short));
        cts.Cancel();
        Assert.IsAssignableFrom<OperationCanceledException>(Assert.Throws<AggregateException>(() => getting.Wait(Timeout)).InnerException);
        queue.Put(5);
        Assert.True(queue.TryGet(Timeout, out int item));
        Assert.Equal(5, item);
    }

    [Fact]
    public async Task JoinableQueue_TaskDonePerItem_ReleasesJoin()
    {
        var queue = _manager.JoinableQueue<int>(maxSize: 4);
        Assert.True(queue.Join(TimeSpan.Zero)); // nothing was put
        queue.Put(1);
        queue.Put(2);
        Assert.False(queue.Join(Short));
        var joining = OtherThread.Run(() => queue.Join(Timeout));
        var joiningAsync = queue.JoinAsync();
        Assert.Equal(1, queue.Get());
        queue.TaskDone();
        Assert.False(joining.Wait(Short)); // one item is still unfinished
        Assert.Equal(2, queue.Get());
        Assert.False(joiningAsync.IsCompleted);
        queue.TaskDone();
        Assert.True(joining.Wait(Timeout));
        Assert.True(joining.Result);
        await joiningAsync.WaitAsync(Timeout);
        Assert.Throws<InvalidOperationException>(queue.TaskDone);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void Value_SetAndGet_RoundTrips()
    {
        var value = _manager.Value(41);
        Assert.Equal(41, value.Value);
        value.Value += 1;
        Assert.Equal(42, value.Value);
        var text = _manager.Value<string?>(null);
        Assert.Null(text.Value);
        text.Value = "x";
        Assert.Equal("x", text.Value);
    }

    [Fact]
    public void Dictionary_Operations_BehaveLikeDict()
    {
        var dict = _manager.Dictionary<string, int>();
        dict["a"] = 1;
        dict["b"] = 2;
        Assert.True(dict.TryAdd("c", 3));
        Assert.False(dict.TryAdd("c", 30));
        Assert.Equal(2, dict["b"]);
        Assert.Throws<KeyNotFoundException>(() => dict["zz"]);
        Assert.True(dict.ContainsKey("a"));
        Assert.True(dict.Remove("a"));
        Assert.False(dict.Remove("a"));
        Assert.False(dict.TryGetValue("a", out _));
        Assert.Equal(2, dict.Count);
        Assert.Equal(new Dictionary<string, int> { ["b"] = 2, ["c"] = 3 }, dict.ToDictionary());
        dict.Clear();
        int left = dict.Count; // one Count round trip, not an enumeration
        Assert.Equal(0, left);
    }

    [Fact]
    public void List_Operations_BehaveLikeList()
    {
        var list = _manager.List<int>();
        list.Add(1);
        list.Add(3);
        list.Insert(1, 2);
        Assert.Equal([1, 2, 3], list.ToList());
        list[0] = 10;
        Assert.Equal(10, list[0]);
        list.RemoveAt(2);
        Assert.Equal(2, list.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[5]);
        list.Clear();
        Assert.Empty(list.ToList());
    }

    [Fact]
    public void Proxies_DefaultSerializer_RoundTripAsTypedAndAsObject()
    {
        var serializer = new MessagePackPoolSerializer();
        var queue = _manager.Queue<int>();
        queue.Put(9);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        serializer.Serialize<object>(buffer, queue);
        var back = Assert.IsType<QueueProxy<int>>(serializer.Deserialize<object>(buffer.WrittenMemory));
        Assert.Equal((queue.Endpoint, queue.AuthKey, queue.ObjectId), (back.Endpoint, back.AuthKey, back.ObjectId));
        Assert.Equal(9, back.Get());
        serializer.EnsureSupported(typeof(CounterJob));
    }

    [Fact]
    public void Proxies_Serialized_CarryOnlyEndpointKeyAndIdAndNeverCallTheManager()
    {
        var serializer = new MessagePackPoolSerializer();
        ManagerProxy[] proxies =
        [
            _manager.Lock(), _manager.RLock(), _manager.Semaphore(), _manager.Event(), _manager.Condition(), _manager.Barrier(2),
            _manager.Queue<int>(), _manager.Value(1), _manager.Dictionary<int, int>(), _manager.List<int>(),
        ];
        _manager.Dispose(); // any call to the manager would now throw
        foreach (var proxy in proxies)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            serializer.Serialize(buffer, proxy.GetType() == typeof(LockProxy) ? (object)proxy : proxy);
            string json = MessagePack.MessagePackSerializer.ConvertToJson(buffer.WrittenMemory);
            Assert.Contains("\"ObjectId\":", json);
            Assert.DoesNotContain("Count", json);
            Assert.DoesNotContain("Value\":", json);
            Assert.DoesNotContain("IsSet", json);
            var back = Assert.IsAssignableFrom<ManagerProxy>(serializer.Deserialize<object>(buffer.WrittenMemory));
            Assert.Equal(proxy.GetType(), back.GetType());
            Assert.Equal(proxy.ObjectId, back.ObjectId);
            Assert.DoesNotContain(proxy.AuthKey, proxy.ToString());
        }
    }

    [Fact]
    public void Manager_Dispose_FailsBlockedCallPromptlyWithClearException()
    {
        var queue = _manager.Queue<int>();
        var getting = OtherThread.Run(() => queue.Get());
        Assert.False(getting.Wait(Short));
        _manager.Dispose();
        var ex = Assert.Throws<AggregateException>(() => getting.Wait(Timeout));
        Assert.IsType<ManagerConnectionException>(ex.InnerException);
        var after = Assert.Throws<ManagerConnectionException>(() => queue.Put(1));
        Assert.Contains(queue.Endpoint, after.Message);
    }

    [Fact]
    public void Manager_Disposed_RefusesNewObjects()
    {
        _manager.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _manager.Lock());
        _manager.Dispose();
    }
}

/// <summary>Locks and queues on shared memory (the default on Linux).</summary>
public sealed class ManagerObjectSharedMemoryTests() : ManagerObjectTests(ManagerFastPath.On);

/// <summary>The fast path switched off: every call is a socket round trip to the manager's own objects.</summary>
public sealed class ManagerObjectSocketPathTests() : ManagerObjectTests(ManagerFastPath.Off);

/// <summary>Shared memory that this process's proxies are not told about: the manager runs the same algorithms for them (a client that cannot map the segment).</summary>
public sealed class ManagerObjectServerSideSegmentTests() : ManagerObjectTests(ManagerFastPath.ServerOnly);
