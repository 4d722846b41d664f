using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers.Server;

/// <summary>
/// An RLock on shared memory (<see cref="SharedRLock"/>). Socket clients' requests run the same algorithm
/// here for the client's pid and thread; a process whose last connection closes loses whatever it held,
/// and the next owner is told it was abandoned.
/// </summary>
internal sealed class FastRLockObject(Segment segment) : SegmentObject(segment)
{
    private readonly SharedRLock _lock = new(segment);

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
        => HandleLockRequest(request, (timeoutMs, token) => _lock.TryAcquire(session.ProcessId, request.Thread, timeoutMs, token), () => _lock.Release(session.ProcessId, request.Thread), cancellationToken, disconnected);

    public override void OnSessionEnded(ManagerSession session) => _lock.MarkAbandoned(session.ProcessId);

    protected override void WakeAll() => _lock.WakeAll();
}
