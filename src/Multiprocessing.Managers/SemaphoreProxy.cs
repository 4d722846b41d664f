using MessagePack;

namespace Multiprocessing.Managers;

/// <summary>
/// A counting semaphore shared between processes: Python's <c>manager.Semaphore(n)</c> and
/// <c>manager.BoundedSemaphore(n)</c> (a bounded one refuses to be released past its initial count).
/// Units a process acquired and had not released when it died are given back, and the next acquirer gets
/// <see cref="AbandonedLockException"/> once — right for a semaphore that limits a resource; a semaphore
/// used to count signals from another process would gain a unit, so use a <see cref="QueueProxy{T}"/> or an
/// <see cref="EventProxy"/> for that.
/// </summary>
public sealed class SemaphoreProxy : AcquirableProxy
{
    internal SemaphoreProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    /// <summary>The units available now (a snapshot, stale once read). One round trip.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public int CurrentCount => CallForInt(ManagerOp.Count);

    /// <summary>Releases <paramref name="releaseCount"/> units at once: Python's <c>release(n)</c>.</summary>
    /// <param name="releaseCount">At least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="releaseCount"/> is less than 1.</exception>
    /// <exception cref="SemaphoreFullException">A bounded semaphore would pass its initial count.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Release(int releaseCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(releaseCount, 1);
        Call(ManagerOp.Release, default, 0, releaseCount);
    }

    /// <summary>Waits until a unit is acquired, without blocking a thread.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A scope that releases on dispose.</returns>
    /// <exception cref="AbandonedLockException">Acquired, but a holder died holding units.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first; nothing was acquired.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public async ValueTask<LockScope> AcquireAsync(CancellationToken cancellationToken = default)
    {
        await TryAcquireCoreAsync(-1, cancellationToken).ConfigureAwait(false);
        return new LockScope(this);
    }

    /// <summary>Waits at most <paramref name="timeout"/> for a unit, without blocking a thread.</summary>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>True when acquired; false when the timeout passed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="AbandonedLockException">Acquired, but a holder died holding units.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first; nothing was acquired.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public ValueTask<bool> TryAcquireAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        TryAcquireCoreAsync(ToMilliseconds(timeout), cancellationToken);
}
