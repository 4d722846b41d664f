namespace Multiprocessing.Managers.Server;

/// <summary>
/// An object hosted by the manager. Each has one lock (<see cref="Gate"/>) guarding all its state; replies
/// to parked waiters are completed after that lock is released.
/// </summary>
internal abstract class SharedObject
{
    protected object Gate { get; } = new();

    /// <summary>Handles one request. <paramref name="cancellationToken"/> fires on the client's cancel or a
    /// disconnect; <paramref name="disconnected"/> only on a disconnect.</summary>
    public abstract ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected);

    /// <summary>The object's shared memory, when its proxies may work on it directly (the fast path).</summary>
    public virtual FastPath.Segment? Segment => null;

    /// <summary>The manager is being disposed: mark shared state closed and wake whoever sleeps on it.</summary>
    public virtual void OnClosing()
    {
    }

    /// <summary>Releases whatever <paramref name="session"/> still holds (its process is gone).</summary>
    public virtual void OnSessionEnded(ManagerSession session)
    {
    }

    protected static ManagerReply Unsupported(ManagerRequest request) =>
        ManagerReply.Error(ReplyError.InvalidOperation, $"Operation {request.Op} is not supported by this shared object.");

    protected static void Grant(ref List<(Waiter, ManagerReply)>? grants, Waiter waiter, ManagerReply reply)
    {
        waiter.Node.List?.Remove(waiter.Node);
        (grants ??= []).Add((waiter, reply));
    }
}
