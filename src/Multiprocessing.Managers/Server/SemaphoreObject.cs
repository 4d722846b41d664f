using System.Diagnostics;

namespace Multiprocessing.Managers.Server;

/// <summary>
/// Lock, Semaphore and BoundedSemaphore: a counter with FIFO waiters. Units are tracked per session so that
/// a process that dies holding some gives them back (and the next acquirer is told it was abandoned).
/// A release by a session that holds none takes a unit from another holder: units are interchangeable,
/// and Python lets any process release a Lock.
/// </summary>
internal sealed class SemaphoreObject(int initialCount, int? maxCount, bool isLock) : SharedObject, IPlainLock
{
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly Dictionary<ManagerSession, int> _held = [];
    private int _count = initialCount;
    private AbandonedMark _abandoned;

    /// <summary>For a Lock: whether its one unit is taken.</summary>
    public bool IsHeld
    {
        get
        {
            lock (Gate)
            {
                return _count == 0;
            }
        }
    }

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected) => request.Op switch
    {
        ManagerOp.Acquire => AcquireAsync(session, request.TimeoutMs, cancellationToken),
        ManagerOp.Release => new(Release(session, (int)Math.Max(1, request.Argument))),
        ManagerOp.Count => new(CurrentCount()),
        ManagerOp.LockIsHeld => new(ManagerReply.Of(IsHeld)),
        _ => new(Unsupported(request)),
    };

    public override void OnSessionEnded(ManagerSession session)
    {
        List<(Waiter, ManagerReply)>? grants = null;
        lock (Gate)
        {
            if (_held.Remove(session, out int units) && units > 0)
            {
                _count += units;
                _abandoned.Set(session.ProcessId);
                GrantWaiters(ref grants);
            }

            AssertInvariants();
        }

        Waiter.CompleteAll(grants);
    }

    private ValueTask<ManagerReply> AcquireAsync(ManagerSession session, long timeoutMs, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (Gate)
        {
            AssertInvariants();
            if (_count > 0 && _waiters.Count == 0)
            {
                _count--;
                return new(Take(session));
            }

            if (timeoutMs == 0)
            {
                return new(ManagerReply.False);
            }

            waiter = new Waiter(session);
            _waiters.AddLast(waiter.Node);
        }

        return waiter.WaitAsync(Gate, _waiters, timeoutMs, cancellationToken);
    }

    private ManagerReply Release(ManagerSession session, int units)
    {
        List<(Waiter, ManagerReply)>? grants = null;
        lock (Gate)
        {
            AssertInvariants();
            if (maxCount is int max && _count + units > max)
            {
                return isLock
                    ? ManagerReply.Error(ReplyError.SynchronizationLock, "Release of an unlocked lock.")
                    : ManagerReply.Error(ReplyError.SemaphoreFull, $"Releasing {units} would take the bounded semaphore past its maximum of {max}.");
            }

            for (int left = units; left > 0;)
            {
                var holder = _held.ContainsKey(session) ? session : _held.Keys.FirstOrDefault();
                if (holder is null)
                {
                    break;
                }

                int n = _held[holder];
                int take = Math.Min(n, left);
                left -= take;
                if (n == take)
                {
                    _held.Remove(holder);
                }
                else
                {
                    _held[holder] = n - take;
                }
            }

            _count += units;
            GrantWaiters(ref grants);
            AssertInvariants();
        }

        Waiter.CompleteAll(grants);
        return ManagerReply.Ok;
    }

    private ManagerReply CurrentCount()
    {
        lock (Gate)
        {
            return ManagerReply.OfValue(_count);
        }
    }

    private void GrantWaiters(ref List<(Waiter, ManagerReply)>? grants)
    {
        while (_count > 0 && _waiters.First is { } first)
        {
            _count--;
            Grant(ref grants, first.Value, Take(first.Value.Session));
        }
    }

    /// <summary>Records one unit taken by <paramref name="session"/>; reports an abandonment once.</summary>
    private ManagerReply Take(ManagerSession session)
    {
        _held[session] = _held.GetValueOrDefault(session) + 1;
        return _abandoned.Consume();
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(Monitor.IsEntered(Gate));
        Debug.Assert(_count >= 0);
        Debug.Assert(_count == 0 || _waiters.Count == 0, "units available while requests wait");
    }
}
