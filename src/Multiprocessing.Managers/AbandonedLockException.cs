namespace Multiprocessing.Managers;

/// <summary>
/// Thrown once, to the next process that acquires a shared lock or semaphore after a process died (its
/// connection to the manager dropped) while holding it — the manager's counterpart of
/// <see cref="AbandonedMutexException"/>. <b>The lock is acquired when this is thrown</b>: the caller holds
/// it, should check or repair the state it protects, and must release it (<see cref="AcquirableProxy.Release"/>).
/// Python's manager would leave the lock held forever.
/// </summary>
public sealed class AbandonedLockException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full description.</param>
    /// <param name="deadProcessId">The process id of the holder that died.</param>
    public AbandonedLockException(string message, int deadProcessId)
        : base(message)
    {
        DeadProcessId = deadProcessId;
    }

    /// <summary>The process id of the holder that died without releasing.</summary>
    public int DeadProcessId { get; }
}
