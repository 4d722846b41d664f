using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers.Server;

/// <summary>
/// An Event whose flag lives in shared memory (<see cref="SharedEvent"/>). Requests over the socket (a
/// client that could not map the segment) work on the same word; a wait runs on a thread of its own.
/// </summary>
internal sealed class FastEventObject(Segment segment) : SegmentObject(segment)
{
    private readonly SharedEvent _event = new(segment);

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        switch (request.Op)
        {
            case ManagerOp.EventIsSet:
                return new(ManagerReply.Of(_event.IsSet));
            case ManagerOp.EventSet:
                _event.Set();
                return new(ManagerReply.Ok);
            case ManagerOp.EventClear:
                _event.Clear();
                return new(ManagerReply.Ok);
            case ManagerOp.EventWait when _event.IsSet || request.TimeoutMs == 0:
                return new(ManagerReply.Of(_event.IsSet));
            case ManagerOp.EventWait:
                return SegmentWait.OnThread(() => ManagerReply.Of(_event.Wait(request.TimeoutMs, cancellationToken)), disconnected);
            default:
                return new(Unsupported(request));
        }
    }

    protected override void WakeAll() => _event.WakeAll();
}
