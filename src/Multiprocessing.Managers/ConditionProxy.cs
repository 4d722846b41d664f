using System.Diagnostics;

namespace Multiprocessing.Managers;

/// <summary>
/// A condition variable shared between processes: Python's <c>manager.Condition()</c>, over its own
/// reentrant lock (acquire and release it as an <see cref="AcquirableProxy"/>; it is owned by the acquiring
/// thread). <see cref="Wait(TimeSpan, CancellationToken)"/> releases the lock, waits for a notify and takes
/// the lock back before returning — also when it times out or is cancelled.
/// </summary>
public sealed class ConditionProxy : AcquirableProxy
{
    internal ConditionProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    private protected override int Thread => Environment.CurrentManagedThreadId;

    /// <summary>Releases the lock, waits for a notify, takes the lock back: Python's <c>wait()</c>.</summary>
    /// <param name="cancellationToken">Stops waiting (the lock is still taken back before this throws).</param>
    /// <exception cref="SynchronizationLockException">This thread does not hold the lock.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Wait(CancellationToken cancellationToken = default) => Wait(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Like <see cref="Wait(CancellationToken)"/>, for at most <paramref name="timeout"/>: Python's <c>wait(timeout)</c>.</summary>
    /// <param name="timeout">How long to wait for a notify, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting (the lock is still taken back before this throws).</param>
    /// <returns>True when notified; false when the timeout passed first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="SynchronizationLockException">This thread does not hold the lock.</exception>
    /// <exception cref="AbandonedLockException">Notified, but taking the lock back found its holder had died.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Acquired(Call(ManagerOp.ConditionWait, cancellationToken, ToMilliseconds(timeout), thread: Thread));

    /// <summary>Waits until <paramref name="predicate"/> is true, checking it under the lock after each notify: Python's <c>wait_for()</c>.</summary>
    /// <param name="predicate">Checked in this process with the lock held.</param>
    /// <param name="timeout">The longest to wait in all, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The predicate's last value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    /// <exception cref="SynchronizationLockException">This thread does not hold the lock.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool WaitFor(Func<bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        long total = ToMilliseconds(timeout);
        long start = Stopwatch.GetTimestamp();
        bool result = predicate();
        while (!result)
        {
            long left = total < 0 ? -1 : total - (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (total >= 0 && left <= 0)
            {
                break;
            }

            Wait(left < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(left), cancellationToken);
            result = predicate();
        }

        return result;
    }

    /// <summary>Wakes up to <paramref name="count"/> waiters: Python's <c>notify(n)</c>.</summary>
    /// <param name="count">How many to wake, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    /// <exception cref="SynchronizationLockException">This thread does not hold the lock.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Notify(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Call(ManagerOp.ConditionNotify, default, 0, count, thread: Thread);
    }

    /// <summary>Wakes every waiter: Python's <c>notify_all()</c>.</summary>
    /// <exception cref="SynchronizationLockException">This thread does not hold the lock.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void NotifyAll() => Call(ManagerOp.ConditionNotify, default, 0, -1, thread: Thread);
}
