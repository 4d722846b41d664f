using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers;

/// <summary>
/// A lock shared between processes: Python's <c>manager.Lock()</c>. Not reentrant and not owned: any
/// thread or process may release it (use <see cref="RLockProxy"/> for an owned, reentrant lock).
/// </summary>
/// <example>
/// <code>
/// using (sharedLock.Acquire())
/// {
///     counter.Value += 1;
/// }
/// </code>
/// </example>
public sealed class LockProxy : AcquirableProxy
{
    internal LockProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    [MessagePack.IgnoreMember]
    private protected override IFastAcquirable? FastLock => Fast(static segment => new SharedLock(segment));

    /// <summary>Waits until acquired, without blocking a thread.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A scope that releases on dispose.</returns>
    /// <exception cref="AbandonedLockException">Acquired, but the previous holder died holding it.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first; nothing was acquired.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public async ValueTask<LockScope> AcquireAsync(CancellationToken cancellationToken = default)
    {
        await TryAcquireCoreAsync(-1, cancellationToken).ConfigureAwait(false);
        return new LockScope(this);
    }

    /// <summary>Waits at most <paramref name="timeout"/>, without blocking a thread.</summary>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>True when acquired; false when the timeout passed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="AbandonedLockException">Acquired, but the previous holder died holding it.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first; nothing was acquired.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public ValueTask<bool> TryAcquireAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        TryAcquireCoreAsync(ToMilliseconds(timeout), cancellationToken);

    /// <summary>Whether anyone holds the lock (a snapshot): Python's <c>locked()</c>. On shared memory no round trip.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [MessagePack.IgnoreMember]
    public bool IsLocked => FastLock is SharedLock fast ? fast.IsHeld : IsTrue(ManagerOp.LockIsHeld);
}
