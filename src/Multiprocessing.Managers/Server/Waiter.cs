namespace Multiprocessing.Managers.Server;

/// <summary>
/// A request parked on a shared object until it is granted, times out or is cancelled. Grants happen under
/// the object's lock (the waiter is unlinked there) but the completion runs outside it, and continuations
/// run asynchronously, so no reply is ever written under an object's lock.
/// </summary>
internal sealed class Waiter : TaskCompletionSource<ManagerReply>
{
    public Waiter(ManagerSession session, int thread = 0)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Session = session;
        Thread = thread;
        Node = new LinkedListNode<Waiter>(this);
    }

    public ManagerSession Session { get; }

    public int Thread { get; }

    public LinkedListNode<Waiter> Node { get; }

    /// <summary>An item carried by a waiting put, or a recursion count carried by a condition's re-acquire.</summary>
    public byte[]? Item { get; set; }

    public long Argument { get; set; }

    /// <summary>
    /// Waits for the grant, at most <paramref name="timeoutMs"/> (-1: forever). When the wait ends first, the
    /// waiter is unlinked under <paramref name="gate"/>; if it was no longer linked a grant raced the timeout
    /// and wins (the caller now holds what was granted, and must get that reply).
    /// </summary>
    public async ValueTask<ManagerReply> WaitAsync(object gate, LinkedList<Waiter> list, long timeoutMs, CancellationToken cancellationToken, Func<ManagerReply, ManagerReply>? onGiveUp = null)
    {
        try
        {
            return timeoutMs < 0
                ? await Task.WaitAsync(cancellationToken).ConfigureAwait(false)
                : await Task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            bool removed;
            lock (gate)
            {
                removed = Node.List == list;
                if (removed)
                {
                    list.Remove(Node);
                }
            }

            if (!removed)
            {
                return await Task.ConfigureAwait(false);
            }

            var reply = ex is TimeoutException ? ManagerReply.False : ManagerReply.Cancelled;
            return onGiveUp is null ? reply : onGiveUp(reply);
        }
    }

    public static void CompleteAll(List<(Waiter Waiter, ManagerReply Reply)>? grants)
    {
        if (grants is null)
        {
            return;
        }

        foreach (var (waiter, reply) in grants)
        {
            waiter.TrySetResult(reply);
        }
    }
}
