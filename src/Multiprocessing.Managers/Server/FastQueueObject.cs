using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers.Server;

/// <summary>
/// A Queue whose items live in a shared-memory ring (<see cref="SharedRing"/>). The manager keeps only the
/// spill: items that did not fit in the ring, in FIFO order, counted in the segment. Requests over the
/// socket (a client that could not map the segment) run the ring's algorithm here for the client's pid,
/// waits on a thread of their own.
/// </summary>
internal sealed class FastQueueObject(Segment segment) : SegmentObject(segment), IRingSpill
{
    private readonly SharedRing _ring = new(segment);
    private readonly Queue<byte[]> _spilled = new();

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        int pid = session.ProcessId;
        switch (request.Op)
        {
            case ManagerOp.QueueSpillPut:
                Put(request.Data1 ?? []);
                return new(ManagerReply.Ok);
            case ManagerOp.QueueSpillGet:
                return new(ManagerReply.OfPayload(Take()));
            case ManagerOp.QueueTaskDone:
                try
                {
                    _ring.TaskDone();
                    return new(ManagerReply.Ok);
                }
                catch (InvalidOperationException ex)
                {
                    return new(ManagerReply.Error(ReplyError.InvalidOperation, ex.Message));
                }

            case ManagerOp.QueueJoin:
                bool joined = _ring.Join(0, CancellationToken.None);
                if (joined || request.TimeoutMs == 0)
                {
                    return new(ManagerReply.Of(joined));
                }

                return SegmentWait.OnThread(() => ManagerReply.Of(_ring.Join(request.TimeoutMs, cancellationToken)), disconnected);
            case ManagerOp.Count:
                return new(ManagerReply.OfValue(_ring.Count));
            case ManagerOp.QueueIsFull:
                return new(ManagerReply.Of(_ring.IsFull));
            case ManagerOp.QueuePut:
                byte[] item = request.Data1 ?? [];
                if (_ring.TryPut(pid, item, 0, this, CancellationToken.None))
                {
                    return new(ManagerReply.Ok);
                }

                if (request.TimeoutMs == 0)
                {
                    return new(ManagerReply.False);
                }

                return SegmentWait.OnThread(() => ManagerReply.Of(_ring.TryPut(pid, item, request.TimeoutMs, this, cancellationToken)), disconnected);
            case ManagerOp.QueueGet:
                if (_ring.TryGet(pid, 0, this, CancellationToken.None) is { } now)
                {
                    return new(ManagerReply.OfPayload(now));
                }

                if (request.TimeoutMs == 0)
                {
                    return new(ManagerReply.False);
                }

                return SegmentWait.OnThread(() => _ring.TryGet(pid, request.TimeoutMs, this, cancellationToken) is { } got ? ManagerReply.OfPayload(got) : ManagerReply.False, disconnected);
            default:
                return new(Unsupported(request));
        }
    }

    public void Put(byte[] item)
    {
        lock (Gate)
        {
            _spilled.Enqueue(item);
            _ring.AddSpilled(1);
        }
    }

    public byte[] Take()
    {
        lock (Gate)
        {
            var item = _spilled.Dequeue();
            _ring.AddSpilled(-1);
            return item;
        }
    }

    public override void OnSessionEnded(ManagerSession session) => _ring.ReleaseIfHeldBy(session.ProcessId);

    protected override void WakeAll() => _ring.WakeAll();
}
