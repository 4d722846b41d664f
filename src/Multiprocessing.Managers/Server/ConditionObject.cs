namespace Multiprocessing.Managers.Server;

/// <summary>
/// Python's <c>Condition</c> over its own reentrant lock. A wait releases the lock completely, parks until
/// notified (or timed out), then takes the lock back with the same recursion count before it answers —
/// also when the client cancelled, so the caller always holds the lock when its call returns or throws.
/// </summary>
internal sealed class ConditionObject : RLockObject
{
    private readonly LinkedList<Waiter> _notifyWaiters = new();

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        var owner = new Owner(session, request.Thread);
        return request.Op switch
        {
            ManagerOp.ConditionWait => WaitAsync(owner, request.TimeoutMs, cancellationToken, disconnected),
            ManagerOp.ConditionNotify => new(Notify(owner, request.Argument)),
            _ => base.HandleAsync(request, session, cancellationToken, disconnected),
        };
    }

    private async ValueTask<ManagerReply> WaitAsync(Owner owner, long timeoutMs, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        List<(Waiter, ManagerReply)>? grants = null;
        var waiter = new Waiter(owner.Session, owner.Thread);
        long saved;
        lock (Gate)
        {
            if (ReleaseAll(owner, ref grants) is not long count)
            {
                return NotOwned("wait");
            }

            saved = count;
            _notifyWaiters.AddLast(waiter.Node);
        }

        Waiter.CompleteAll(grants);
        var notified = await waiter.WaitAsync(Gate, _notifyWaiters, timeoutMs, cancellationToken).ConfigureAwait(false);

        // Take the lock back whatever happened, unless the client is gone.
        var reacquired = await AcquireAsync(owner, saved, -1, disconnected).ConfigureAwait(false);
        return reacquired.Status == ReplyStatus.Ok ? notified : reacquired;
    }

    private ManagerReply Notify(Owner owner, long n)
    {
        List<(Waiter, ManagerReply)>? grants = null;
        lock (Gate)
        {
            if (!IsOwnedBy(owner))
            {
                return NotOwned("notify");
            }

            for (long i = 0; (n < 0 || i < n) && _notifyWaiters.First is { } first; i++)
            {
                Grant(ref grants, first.Value, ManagerReply.Ok);
            }
        }

        Waiter.CompleteAll(grants);
        return ManagerReply.Ok;
    }
}
