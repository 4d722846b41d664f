using System.Diagnostics;

namespace Multiprocessing.Managers.Server;

/// <summary>
/// Python's <c>Queue</c>: FIFO, bounded when <c>maxSize</c> &gt; 0. Items are kept serialized (the manager
/// never needs their type). A put into a full queue parks with its item; a get from an empty one parks
/// until an item is handed to it directly.
/// </summary>
internal sealed class QueueObject(int maxSize) : SharedObject
{
    private readonly Queue<byte[]> _items = new();
    private readonly LinkedList<Waiter> _getters = new();
    private readonly LinkedList<Waiter> _putters = new();
    private readonly LinkedList<Waiter> _joiners = new();
    private int _unfinished;

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        List<(Waiter, ManagerReply)>? grants = null;
        ManagerReply reply;
        lock (Gate)
        {
            AssertInvariants();
            switch (request.Op)
            {
                case ManagerOp.QueuePut:
                    byte[] item = request.Data1 ?? [];
                    if (_getters.First is { } getter)
                    {
                        _unfinished++;
                        Grant(ref grants, getter.Value, ManagerReply.OfPayload(item));
                    }
                    else if (!IsFull && _putters.Count == 0)
                    {
                        _unfinished++;
                        _items.Enqueue(item);
                    }
                    else if (request.TimeoutMs == 0)
                    {
                        return new(ManagerReply.False);
                    }
                    else
                    {
                        var putter = new Waiter(session) { Item = item };
                        _putters.AddLast(putter.Node);
                        return putter.WaitAsync(Gate, _putters, request.TimeoutMs, cancellationToken);
                    }

                    reply = ManagerReply.Ok;
                    break;
                case ManagerOp.QueueGet:
                    if (_items.TryDequeue(out var next))
                    {
                        if (_putters.First is { } first)
                        {
                            _items.Enqueue(first.Value.Item!);
                            _unfinished++;
                            Grant(ref grants, first.Value, ManagerReply.Ok);
                        }

                        reply = ManagerReply.OfPayload(next);
                        break;
                    }

                    if (request.TimeoutMs == 0)
                    {
                        return new(ManagerReply.False);
                    }

                    var waiter = new Waiter(session);
                    _getters.AddLast(waiter.Node);
                    return waiter.WaitAsync(Gate, _getters, request.TimeoutMs, cancellationToken);
                case ManagerOp.QueueTaskDone:
                    if (_unfinished == 0)
                    {
                        return new(ManagerReply.Error(ReplyError.InvalidOperation, "TaskDone() was called more times than there were items put."));
                    }

                    if (--_unfinished == 0)
                    {
                        while (_joiners.First is { } joiner)
                        {
                            Grant(ref grants, joiner.Value, ManagerReply.Ok);
                        }
                    }

                    reply = ManagerReply.Ok;
                    break;
                case ManagerOp.QueueJoin:
                    if (_unfinished == 0 || request.TimeoutMs == 0)
                    {
                        return new(ManagerReply.Of(_unfinished == 0));
                    }

                    var joinWaiter = new Waiter(session);
                    _joiners.AddLast(joinWaiter.Node);
                    return joinWaiter.WaitAsync(Gate, _joiners, request.TimeoutMs, cancellationToken);
                case ManagerOp.Count:
                    return new(ManagerReply.OfValue(_items.Count));
                case ManagerOp.QueueIsFull:
                    return new(ManagerReply.Of(IsFull));
                default:
                    return new(Unsupported(request));
            }
        }

        Waiter.CompleteAll(grants);
        return new(reply);
    }

    private bool IsFull => maxSize > 0 && _items.Count >= maxSize;

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_items.Count == 0 || _getters.Count == 0, "items wait while getters wait");
        Debug.Assert(_putters.Count == 0 || IsFull, "putters wait while there is room");
    }
}
