using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers;

/// <summary>
/// What every shared lock-like object offers: acquire (blocking, with a timeout, or as a
/// <see cref="LockScope"/>) and release. Waits are FIFO. If a process dies while holding it, it is released
/// and the next acquirer gets <see cref="AbandonedLockException"/> once (holding it).
/// </summary>
public abstract class AcquirableProxy : ManagerProxy
{
    private protected AcquirableProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    /// <summary>Waits until acquired: Python's <c>acquire()</c>; dispose the scope to release.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A scope that releases on dispose.</returns>
    /// <exception cref="AbandonedLockException">Acquired, but the previous holder died holding it.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first; nothing was acquired.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public LockScope Acquire(CancellationToken cancellationToken = default)
    {
        Acquired(FastLock is { } fast
            ? fast.TryAcquire(ProcessId, Thread, -1, cancellationToken)
            : Call(ManagerOp.Acquire, cancellationToken, -1, thread: Thread));
        return new LockScope(this);
    }

    /// <summary>Waits at most <paramref name="timeout"/>: Python's <c>acquire(timeout=…)</c>; <see cref="TimeSpan.Zero"/> does not wait.</summary>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>True when acquired (release it with <see cref="Release"/>); false when the timeout passed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="AbandonedLockException">Acquired, but the previous holder died holding it.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first; nothing was acquired.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool TryAcquire(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        long timeoutMs = ToMilliseconds(timeout);
        return Acquired(FastLock is { } fast
            ? fast.TryAcquire(ProcessId, Thread, timeoutMs, cancellationToken)
            : Call(ManagerOp.Acquire, cancellationToken, timeoutMs, thread: Thread));
    }

    /// <summary>Releases: Python's <c>release()</c>.</summary>
    /// <exception cref="SynchronizationLockException">A lock that is not held, or an owned lock held by another thread.</exception>
    /// <exception cref="SemaphoreFullException">A bounded semaphore would pass its initial count.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Release()
    {
        if (FastLock is { } fast)
        {
            fast.Release(ProcessId, Thread);
        }
        else
        {
            Call(ManagerOp.Release, default, 0, 1, thread: Thread);
        }
    }

    /// <summary>The calling thread, for locks owned by a thread; 0 for those that are not.</summary>
    private protected virtual int Thread => 0;

    /// <summary>The shared-memory lock, when this object has one (see <see cref="LockProxy"/>, <see cref="RLockProxy"/>); null: every call is a round trip.</summary>
    [MessagePack.IgnoreMember]
    private protected virtual IFastAcquirable? FastLock => null;

    /// <summary>For the async variants of unowned locks.</summary>
    private protected async ValueTask<bool> TryAcquireCoreAsync(long timeoutMs, CancellationToken cancellationToken)
    {
        if (FastLock is not { } fast)
        {
            return Acquired(await CallAsync(ManagerOp.Acquire, cancellationToken, timeoutMs).ConfigureAwait(false));
        }

        var now = fast.TryAcquire(ProcessId, 0, 0, cancellationToken);
        if (now.Status != ReplyStatus.False || timeoutMs == 0)
        {
            return Acquired(now);
        }

        return Acquired(await FastWait.OnOwnThread(() => fast.TryAcquire(ProcessId, 0, timeoutMs, cancellationToken)).ConfigureAwait(false));
    }
}
