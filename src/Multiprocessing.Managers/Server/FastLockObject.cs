using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers.Server;

/// <summary>
/// A Lock whose state lives in shared memory (<see cref="SharedLock"/>): proxies that mapped the segment
/// acquire and release it without a message. Requests that do come over the socket (a client that could not
/// map it) run the same algorithm here for the client's pid; a wait runs on a thread of its own, so the
/// connection thread keeps reading cancels. When a client process's last connection closes, a lock it still
/// holds is freed and marked abandoned.
/// </summary>
internal sealed class FastLockObject(Segment segment) : SegmentObject(segment), IPlainLock
{
    private readonly SharedLock _lock = new(segment);

    public bool IsHeld => _lock.IsHeld;

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
        => request.Op == ManagerOp.LockIsHeld ? new(ManagerReply.Of(IsHeld)) : HandleLockRequest(request, (timeoutMs, token) => _lock.TryAcquire(session.ProcessId, timeoutMs, token), _lock.Release, cancellationToken, disconnected);

    public override void OnSessionEnded(ManagerSession session) => _lock.MarkAbandoned(session.ProcessId);

    protected override void WakeAll() => _lock.WakeAll();
}
