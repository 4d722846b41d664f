namespace Multiprocessing.Managers.Server;

/// <summary>
/// Python's <c>Barrier</c> (without the action, which cannot cross processes). The parties that arrive wait
/// until the last one does, then all are released together, each with its arrival index (0 first). A party
/// that times out, is cancelled or whose process dies breaks the barrier for everyone, as a timeout does in
/// Python — so no party ever waits for one that will never come.
/// </summary>
internal sealed class BarrierObject(int parties) : SharedObject
{
    private const string BrokenMessage = "The barrier is broken.";

    private readonly LinkedList<Waiter> _waiters = new();
    private bool _broken;

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        List<(Waiter, ManagerReply)>? grants = null;
        ManagerReply reply;
        lock (Gate)
        {
            switch (request.Op)
            {
                case ManagerOp.BarrierWait:
                    if (_broken)
                    {
                        return new(Broken());
                    }

                    int index = _waiters.Count;
                    if (index + 1 == parties)
                    {
                        int i = 0;
                        while (_waiters.First is { } first)
                        {
                            Grant(ref grants, first.Value, ManagerReply.OfValue(i++));
                        }

                        reply = ManagerReply.OfValue(index);
                        break;
                    }

                    var waiter = new Waiter(session);
                    _waiters.AddLast(waiter.Node);
                    return waiter.WaitAsync(Gate, _waiters, request.TimeoutMs, cancellationToken, BreakOnGiveUp);
                case ManagerOp.BarrierAbort:
                    BreakLocked(ref grants);
                    reply = ManagerReply.Ok;
                    break;
                case ManagerOp.BarrierReset:
                    BreakLocked(ref grants);
                    _broken = false;
                    reply = ManagerReply.Ok;
                    break;
                case ManagerOp.Count:
                    return new(ManagerReply.OfValue(_waiters.Count));
                case ManagerOp.BarrierParties:
                    return new(ManagerReply.OfValue(parties));
                case ManagerOp.BarrierIsBroken:
                    return new(ManagerReply.Of(_broken));
                default:
                    return new(Unsupported(request));
            }
        }

        Waiter.CompleteAll(grants);
        return new(reply);
    }

    private static ManagerReply Broken() => new(ReplyStatus.BrokenBarrier, 0, null, BrokenMessage);

    private ManagerReply BreakOnGiveUp(ManagerReply reply)
    {
        List<(Waiter, ManagerReply)>? grants = null;
        lock (Gate)
        {
            BreakLocked(ref grants);
        }

        Waiter.CompleteAll(grants);
        return reply.Status == ReplyStatus.Cancelled
            ? reply
            : new ManagerReply(ReplyStatus.BrokenBarrier, 0, null, "The barrier broke: this party's wait timed out before every party arrived.");
    }

    private void BreakLocked(ref List<(Waiter, ManagerReply)>? grants)
    {
        _broken = true;
        while (_waiters.First is { } first)
        {
            Grant(ref grants, first.Value, Broken());
        }
    }
}
