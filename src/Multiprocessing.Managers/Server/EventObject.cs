namespace Multiprocessing.Managers.Server;

/// <summary>Python's <c>Event</c>: a flag; waiters are released when it is set.</summary>
internal sealed class EventObject : SharedObject
{
    private readonly LinkedList<Waiter> _waiters = new();
    private bool _set;

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        List<(Waiter, ManagerReply)>? grants = null;
        Waiter waiter;
        lock (Gate)
        {
            switch (request.Op)
            {
                case ManagerOp.EventIsSet:
                    return new(ManagerReply.Of(_set));
                case ManagerOp.EventClear:
                    _set = false;
                    return new(ManagerReply.Ok);
                case ManagerOp.EventSet:
                    _set = true;
                    while (_waiters.First is { } first)
                    {
                        Grant(ref grants, first.Value, ManagerReply.Ok);
                    }

                    break;
                case ManagerOp.EventWait when _set || request.TimeoutMs == 0:
                    return new(ManagerReply.Of(_set));
                case ManagerOp.EventWait:
                    waiter = new Waiter(session);
                    _waiters.AddLast(waiter.Node);
                    return waiter.WaitAsync(Gate, _waiters, request.TimeoutMs, cancellationToken);
                default:
                    return new(Unsupported(request));
            }
        }

        Waiter.CompleteAll(grants);
        return new(ManagerReply.Ok);
    }
}
