namespace Multiprocessing.Managers.Server;

/// <summary>
/// Python's <c>Condition(lock)</c> over an existing plain Lock (its proxy may use shared memory). Acquire and
/// release go to the lock. A wait enlists the waiter first, then releases the lock for the caller's process,
/// parks until notified (or timed out, or cancelled), then takes the lock back for that process before it
/// answers, so the caller holds the lock whenever the call returns or throws. A notify cannot be lost: it
/// needs the lock, which the waiter releases only after enlisting. A plain Lock has no owner, so "held by
/// the caller" can only be checked as "held" (Python checks the same way).
/// </summary>
internal sealed class LockConditionObject(SharedObject lockObject) : SharedObject
{
    private readonly LinkedList<Waiter> _waiters = new();

    private bool IsHeld => ((IPlainLock)lockObject).IsHeld;

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected) => request.Op switch
    {
        ManagerOp.Acquire or ManagerOp.Release => lockObject.HandleAsync(request, session, cancellationToken, disconnected),
        ManagerOp.ConditionWait => WaitAsync(request, session, cancellationToken, disconnected),
        ManagerOp.ConditionNotify => new(Notify(request.Argument)),
        _ => new(Unsupported(request)),
    };

    private async ValueTask<ManagerReply> WaitAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        var waiter = new Waiter(session);
        lock (Gate)
        {
            if (!IsHeld)
            {
                return NotHeld("wait");
            }

            _waiters.AddLast(waiter.Node);
        }

        var released = await lockObject.HandleAsync(request with { Op = ManagerOp.Release, Argument = 1 }, session, CancellationToken.None, disconnected).ConfigureAwait(false);
        if (released.Status != ReplyStatus.Ok)
        {
            lock (Gate)
            {
                waiter.Node.List?.Remove(waiter.Node);
            }

            return released;
        }

        var notified = await waiter.WaitAsync(Gate, _waiters, request.TimeoutMs, cancellationToken).ConfigureAwait(false);

        // Take the lock back whatever happened, unless the client is gone.
        var reacquired = await lockObject.HandleAsync(request with { Op = ManagerOp.Acquire, TimeoutMs = -1 }, session, disconnected, disconnected).ConfigureAwait(false);
        return reacquired.Status == ReplyStatus.Ok ? notified : reacquired;
    }

    private ManagerReply Notify(long n)
    {
        List<(Waiter, ManagerReply)>? grants = null;
        lock (Gate)
        {
            if (!IsHeld)
            {
                return NotHeld("notify");
            }

            for (long i = 0; (n < 0 || i < n) && _waiters.First is { } first; i++)
            {
                Grant(ref grants, first.Value, ManagerReply.Ok);
            }
        }

        Waiter.CompleteAll(grants);
        return ManagerReply.Ok;
    }

    private static ManagerReply NotHeld(string what) =>
        ManagerReply.Error(ReplyError.SynchronizationLock, $"Cannot {what} on a condition whose lock is not held: acquire the lock first.");
}
