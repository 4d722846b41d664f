using Multiprocessing.Managers;
using Multiprocessing.Tests.Support;
using Multiprocessing.Managers.FastPath;
using Multiprocessing.Managers.Server;

namespace Multiprocessing.Tests.Managers;

/// <summary>
/// Stronger than Python: a worker process killed while it holds a shared lock or semaphore gives it back,
/// the next acquirer is told once, and a party dying at a barrier breaks it instead of hanging the rest.
/// Each task runs in a real worker process that kills itself (SIGKILL) while holding the object.
/// </summary>
public sealed class ManagerAbandonmentTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Manager _manager = new();
    private readonly Pool _pool = new(new PoolOptions { Processes = 1 });

    public void Dispose()
    {
        // Work around a core race (reported): disposing a pool while it is still replacing a crashed worker can
        // take 30 s, or crash the host from the reader thread. A task on the replacement proves it is up.
        _pool.ApplyAsync(Support.Tasks.FortyTwo).Get(Timeout);
        _pool.Dispose();
        _manager.Dispose();
    }

    [Fact]
    public void Lock_HolderProcessKilled_NextAcquirerGetsAbandonedOnceThenNormal()
    {
        var sharedLock = _manager.Lock();
        Assert.Equal(Futex.IsSupported, sharedLock.HasSharedMemory); // the worker holds it through shared memory
        var held = _manager.Event();
        var task = _pool.ApplyAsync(ManagerTasks.HoldLockAndDie, sharedLock, held);
        Assert.True(held.Wait(Timeout));
        var crash = Assert.Throws<WorkerCrashedException>(() => task.Get(Timeout));

        var abandoned = Assert.Throws<AbandonedLockException>(() => sharedLock.TryAcquire(Timeout));
        Assert.Equal(crash.ProcessId, abandoned.DeadProcessId);
        Assert.False(OtherThread.Call(() => sharedLock.TryAcquire(TimeSpan.Zero), Timeout)); // the abandoned signal came with the lock
        sharedLock.Release();
        Assert.True(sharedLock.TryAcquire(TimeSpan.Zero)); // told once: now an ordinary acquire
        sharedLock.Release();
    }

    [Fact]
    public void Lock_WaiterParkedWhenHolderKilled_IsGrantedWithAbandonedSignal()
    {
        var sharedLock = _manager.Lock();
        var held = _manager.Event();
        var task = _pool.ApplyAsync(ManagerTasks.HoldLockAndDie, sharedLock, held);
        Assert.True(held.Wait(Timeout));
        var waiter = OtherThread.Run(() => sharedLock.Acquire());
        Assert.Throws<WorkerCrashedException>(() => task.Get(Timeout));
        var ex = Assert.Throws<AggregateException>(() => waiter.Wait(Timeout));
        Assert.IsType<AbandonedLockException>(ex.InnerException);
        sharedLock.Release();
    }

    [Fact]
    public void Lock_SocketPathHolderProcessKilled_NextAcquirerGetsAbandoned()
    {
        using var socketManager = new Manager(ManagerFastPath.Off);
        var sharedLock = socketManager.Lock();
        Assert.False(sharedLock.HasSharedMemory);
        var held = socketManager.Event();
        var task = _pool.ApplyAsync(ManagerTasks.HoldLockAndDie, sharedLock, held);
        Assert.True(held.Wait(Timeout));
        var crash = Assert.Throws<WorkerCrashedException>(() => task.Get(Timeout));
        var abandoned = Assert.Throws<AbandonedLockException>(() => sharedLock.TryAcquire(Timeout));
        Assert.Equal(crash.ProcessId, abandoned.DeadProcessId);
        sharedLock.Release();
    }

    [Fact]
    public void BoundedSemaphore_HolderProcessKilled_UnitReturnsWithAbandonedSignal()
    {
        var semaphore = _manager.BoundedSemaphore(1);
        var held = _manager.Event();
        var task = _pool.ApplyAsync(ManagerTasks.HoldSemaphoreAndDie, semaphore, held);
        Assert.True(held.Wait(Timeout));
        Assert.Throws<WorkerCrashedException>(() => task.Get(Timeout));
        Assert.Throws<AbandonedLockException>(() => semaphore.TryAcquire(Timeout));
        Assert.Equal(0, semaphore.CurrentCount);
        semaphore.Release();
        Assert.Equal(1, semaphore.CurrentCount);
    }

    [Fact]
    public void RLock_HolderProcessKilledWhileReentered_IsFreedCompletely()
    {
        var rlock = _manager.RLock();
        Assert.Equal(Futex.IsSupported, rlock.HasSharedMemory);
        var held = _manager.Event();
        var task = _pool.ApplyAsync(ManagerTasks.HoldRLockTwiceAndDie, rlock, held);
        Assert.True(held.Wait(Timeout));
        Assert.Throws<WorkerCrashedException>(() => task.Get(Timeout));
        Assert.Throws<AbandonedLockException>(() => rlock.TryAcquire(Timeout));
        rlock.Release(); // one release: the dead owner's recursion count is gone
        Assert.True(OtherThread.Call(() =>
        {
            bool got = rlock.TryAcquire(TimeSpan.Zero);
            rlock.Release();
            return got;
        }, Timeout));
    }

    [Fact]
    public void Barrier_PartyProcessKilled_BreaksBarrierForTheOthers()
    {
        var barrier = _manager.Barrier(3);
        var arrived = _manager.Event();
        var task = _pool.ApplyAsync(ManagerTasks.WaitAtBarrierAndDie, barrier, arrived);
        Assert.True(arrived.Wait(Timeout));
        Assert.Throws<WorkerCrashedException>(() => task.Get(Timeout));
        Assert.Throws<BrokenBarrierException>(() => barrier.SignalAndWait(Timeout));
        Assert.True(barrier.IsBroken);
    }
}
