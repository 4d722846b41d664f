using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers.Server;

/// <summary>
/// An RLock on shared memory (<see cref="SharedRLock"/>). Socket clients' requests run the same algorithm
/// here for the client's pid and thread; a process whose last connection closes loses whatever it held,
/// and the next owner is told it was abandoned.
/// </summary>
internal sealed class FastRLockObject(Segment segment) : SharedObject
{
    private readonly SharedRLock _lock = new(segment);

    public override Segment Segment => segment;

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        int pid = session.ProcessId;
        switch (request.Op)
        {
            case ManagerOp.Acquire:
                var now = _lock.TryAcquire(pid, request.Thread, 0, CancellationToken.None);
                if (now.Status != ReplyStatus.False || request.TimeoutMs == 0)
                {
                    return new(now);
                }

                return SegmentWait.OnThread(() => _lock.TryAcquire(pid, request.Thread, request.TimeoutMs, cancellationToken), disconnected);
            case ManagerOp.Release:
                try
                {
                    _lock.Release(pid, request.Thread);
                    return new(ManagerReply.Ok);
                }
                catch (SynchronizationLockException ex)
                {
                    return new(ManagerReply.Error(ReplyError.SynchronizationLock, ex.Message));
                }

            default:
                return new(Unsupported(request));
        }
    }

    public override void OnSessionEnded(ManagerSession session) => _lock.MarkAbandoned(session.ProcessId);

    public override void OnClosing()
    {
        segment.Close();
        _lock.WakeAll();
    }
}
