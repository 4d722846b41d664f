using System.Diagnostics;

namespace Multiprocessing.Managers.Server;

/// <summary>
/// A reentrant lock owned by one thread of one process (Python's <c>RLock</c>); also the lock inside a
/// <see cref="ConditionObject"/>. Only the owner may release it. If the owner's process dies the lock is
/// released and the next owner is told it was abandoned.
/// </summary>
internal class RLockObject : SharedObject
{
    private readonly LinkedList<Waiter> _waiters = new();
    private Owner? _owner;
    private long _count;
    private AbandonedMark _abandoned;

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected) => request.Op switch
    {
        ManagerOp.Acquire => AcquireAsync(new Owner(session, request.Thread), 1, request.TimeoutMs, cancellationToken),
        ManagerOp.Release => new(Release(new Owner(session, request.Thread))),
        _ => new(Unsupported(request)),
    };

    public override void OnSessionEnded(ManagerSession session)
    {
        List<(Waiter, ManagerReply)>? grants = null;
        lock (Gate)
        {
            if (_owner is { } o && o.Session == session)
            {
                _abandoned.Set(session.ProcessId);
                _owner = null;
                _count = 0;
                GrantNext(ref grants);
            }
        }

        Waiter.CompleteAll(grants);
    }

    /// <summary>Acquires for <paramref name="owner"/>, setting the recursion count to <paramref name="count"/> (1, or a condition's saved count).</summary>
    protected ValueTask<ManagerReply> AcquireAsync(Owner owner, long count, long timeoutMs, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (Gate)
        {
            AssertInvariants();
            if (_owner == owner)
            {
                _count++;
                return new(ManagerReply.Ok);
            }

            if (_owner is null && _waiters.Count == 0)
            {
                return new(Take(owner, count));
            }

            if (timeoutMs == 0)
            {
                return new(ManagerReply.False);
            }

            waiter = new Waiter(owner.Session, owner.Thread) { Argument = count };
            _waiters.AddLast(waiter.Node);
        }

        return waiter.WaitAsync(Gate, _waiters, timeoutMs, cancellationToken);
    }

    protected ManagerReply Release(Owner owner)
    {
        List<(Waiter, ManagerReply)>? grants = null;
        lock (Gate)
        {
            AssertInvariants();
            if (_owner != owner)
            {
                return NotOwned("release");
            }

            if (--_count == 0)
            {
                _owner = null;
                GrantNext(ref grants);
            }
        }

        Waiter.CompleteAll(grants);
        return ManagerReply.Ok;
    }

    /// <summary>Releases the lock completely for a condition wait; returns the count to restore, or null if not owned.</summary>
    protected long? ReleaseAll(Owner owner, ref List<(Waiter, ManagerReply)>? grants)
    {
        Debug.Assert(Monitor.IsEntered(Gate));
        if (_owner != owner)
        {
            return null;
        }

        long saved = _count;
        _owner = null;
        _count = 0;
        GrantNext(ref grants);
        return saved;
    }

    protected bool IsOwnedBy(Owner owner) => _owner == owner;

    protected static ManagerReply NotOwned(string what) =>
        ManagerReply.Error(ReplyError.SynchronizationLock, $"Cannot {what}: the lock is not held by this thread.");

    private void GrantNext(ref List<(Waiter, ManagerReply)>? grants)
    {
        if (_waiters.First is { } first)
        {
            var w = first.Value;
            Grant(ref grants, w, Take(new Owner(w.Session, w.Thread), w.Argument));
        }
    }

    private ManagerReply Take(Owner owner, long count)
    {
        _owner = owner;
        _count = count;
        return _abandoned.Consume();
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(Monitor.IsEntered(Gate));
        Debug.Assert((_owner is null) == (_count == 0));
        Debug.Assert(_owner is not null || _waiters.Count == 0, "free while requests wait");
    }
}
