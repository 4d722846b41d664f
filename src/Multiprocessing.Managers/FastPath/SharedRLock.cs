namespace Multiprocessing.Managers.FastPath;

/// <summary>
/// An <c>RLock</c> on shared memory: the <see cref="SharedLock"/> word (the holder's pid, abandonment and
/// all), plus the owning thread and the recursion count beside it. Only the owning thread reads or writes
/// those two while the word holds its pid, so they need no further locking: the owner is recorded after
/// the word is taken and cleared before it is let go. A process that dies holding it, however deeply
/// reentered, frees it completely (the word is what the manager and the waiters reset).
/// </summary>
internal sealed unsafe class SharedRLock : IFastAcquirable
{
    public const int SegmentSize = SharedLock.SegmentSize;
    private const int ThreadOffset = 4;
    private const int CountOffset = 8;

    private readonly SharedLock _lock;
    private readonly int* _word;
    private readonly int* _thread;
    private readonly int* _count;

    public SharedRLock(Segment segment)
    {
        _lock = new SharedLock(segment);
        byte* body = segment.Base + Segment.HeaderSize;
        _word = (int*)body;
        _thread = (int*)(body + ThreadOffset);
        _count = (int*)(body + CountOffset);
    }

    public ManagerReply TryAcquire(int pid, int thread, long timeoutMs, CancellationToken cancellationToken)
    {
        if (IsOwnedBy(pid, thread))
        {
            _lock.Segment.ThrowIfClosed();
            (*_count)++;
            return ManagerReply.Ok;
        }

        var reply = _lock.TryAcquire(pid, timeoutMs, cancellationToken);
        if (reply.Status is ReplyStatus.Ok or ReplyStatus.Abandoned)
        {
            *_count = 1;
            Volatile.Write(ref *_thread, thread);
        }

        return reply;
    }

    /// <exception cref="SynchronizationLockException">This thread does not own it.</exception>
    public void Release(int pid, int thread)
    {
        _lock.Segment.ThrowIfClosed();
        if (!IsOwnedBy(pid, thread))
        {
            throw new SynchronizationLockException("Release of an RLock this thread does not own.");
        }

        if (--(*_count) > 0)
        {
            return;
        }

        Volatile.Write(ref *_thread, 0);
        _lock.Release(pid, thread);
    }

    public void MarkAbandoned(int deadPid) => _lock.MarkAbandoned(deadPid);

    public void WakeAll() => _lock.WakeAll();

    private bool IsOwnedBy(int pid, int thread)
    {
        int state = Volatile.Read(ref *_word);
        return state != 0 && (state & SharedLock.AbandonedBit) == 0 && (state & SharedLock.PidMask) == pid && Volatile.Read(ref *_thread) == thread;
    }
}
