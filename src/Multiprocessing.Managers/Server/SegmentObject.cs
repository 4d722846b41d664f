using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers.Server;

/// <summary>
/// A hosted object whose state lives in a shared-memory <see cref="FastPath.Segment"/>: closing the manager
/// marks the segment closed and wakes whoever sleeps on it; requests over the socket run the same algorithm here.
/// </summary>
internal abstract class SegmentObject(Segment segment) : SharedObject
{
    public sealed override Segment Segment => segment;

    public sealed override void OnClosing()
    {
        segment.Close();
        WakeAll();
    }

    /// <summary>Wakes every process sleeping on the segment (they see it closed).</summary>
    protected abstract void WakeAll();

    /// <summary>
    /// Acquire and Release of a lock on the segment, for a socket client: an acquire that cannot succeed at once
    /// waits on a thread of its own, so the connection thread keeps reading cancels.
    /// </summary>
    protected ValueTask<ManagerReply> HandleLockRequest(ManagerRequest request, Func<long, CancellationToken, ManagerReply> tryAcquire, Action release, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        switch (request.Op)
        {
            case ManagerOp.Acquire:
                var now = tryAcquire(0, CancellationToken.None);
                if (now.Status != ReplyStatus.False || request.TimeoutMs == 0)
                {
                    return new(now);
                }

                return SegmentWait.OnThread(() => tryAcquire(request.TimeoutMs, cancellationToken), disconnected);
            case ManagerOp.Release:
                try
                {
                    release();
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
}
