namespace Multiprocessing.Managers.FastPath;

/// <summary>A lock on shared memory as <see cref="AcquirableProxy"/> uses it: <see cref="SharedLock"/> (not owned) or <see cref="SharedRLock"/> (owned by a thread).</summary>
internal interface IFastAcquirable
{
    /// <summary>Acquires for a thread of a process: <c>Ok</c>, <c>False</c> (timed out) or <c>Abandoned</c> (acquired; value = the dead holder).</summary>
    ManagerReply TryAcquire(int pid, int thread, long timeoutMs, CancellationToken cancellationToken);

    /// <summary>Releases for a thread of a process.</summary>
    void Release(int pid, int thread);
}
