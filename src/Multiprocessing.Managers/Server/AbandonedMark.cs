namespace Multiprocessing.Managers.Server;

/// <summary>
/// Remembers that a holder died holding a lock or semaphore, so that the next grant says so once (like
/// .NET's AbandonedMutexException). Guarded by the owning object's lock.
/// </summary>
internal struct AbandonedMark
{
    private int _deadProcessId;

    public void Set(int deadProcessId) => _deadProcessId = deadProcessId;

    /// <summary>The reply for a grant: <c>Abandoned</c> (with the dead pid) the first time after a death, else Ok.</summary>
    public ManagerReply Consume()
    {
        if (_deadProcessId == 0)
        {
            return ManagerReply.Ok;
        }

        var reply = new ManagerReply(ReplyStatus.Abandoned, _deadProcessId);
        _deadProcessId = 0;
        return reply;
    }
}
