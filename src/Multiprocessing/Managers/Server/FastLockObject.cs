using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers.Server;

/// <summary>
/// A Lock whose state lives in shared memory (<see cref="SharedLock"/>): proxies that mapped the segment
/// acquire and release it without a message. Requests that do come over the socket (a client that could not
/// map it) run the same algorithm here for the client's pid; a wait runs on a thread of its own, so the
/// connection thread keeps reading cancels. When a client process's last connection closes, a lock it still
/// holds is freed and marked abandoned.
/// </summary>
internal sealed class FastLockObject(Segment segment) : SharedObject, IPlainLock
{
    private readonly SharedLock _lock = new(segment);

    public override Segment Segment => segment;

    public bool IsHeld => _lock.IsHeld;

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        switch (request.Op)
        {
            case ManagerOp.Acquire:
                var now = _lock.TryAcquire(session.ProcessId, 0, CancellationToken.None);
                if (now.Status != ReplyStatus.False || request.TimeoutMs == 0)
                {
                    return new(now);
                }

                return SegmentWait.OnThread(() => _lock.TryAcquire(session.ProcessId, request.TimeoutMs, cancellationToken), disconnected);
            case ManagerOp.Release:
                try
                {
                    _lock.Release();
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
