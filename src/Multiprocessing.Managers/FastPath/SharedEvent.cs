namespace Multiprocessing.Managers.FastPath;

/// <summary>
/// An <c>Event</c> as one word in a <see cref="Segment"/>: bit 0 is the flag, the bits above count the sets.
/// <c>IsSet</c>, <c>Set</c> and <c>Clear</c> are single atomic operations (a set makes one wake-up call, and
/// only when it changes the flag); a waiter sleeps with a futex on the word. A waiter counts a set that
/// happened while it slept even if the event was cleared again before it woke, as Python's waiters do.
/// </summary>
internal sealed unsafe class SharedEvent
{
    public const int SegmentSize = 4096;
    private const int SliceMs = 100;

    private readonly int* _word;

    public SharedEvent(Segment segment)
    {
        Segment = segment;
        _word = (int*)(segment.Base + Segment.HeaderSize);
    }

    public Segment Segment { get; }

    public bool IsSet
    {
        get
        {
            Segment.ThrowIfClosed();
            return (Volatile.Read(ref *_word) & 1) != 0;
        }
    }

    public void Set()
    {
        Segment.ThrowIfClosed();
        while (true)
        {
            int state = Volatile.Read(ref *_word);
            if ((state & 1) != 0)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref *_word, (state + 2) | 1, state) == state)
            {
                Futex.Wake(_word, int.MaxValue);
                return;
            }
        }
    }

    public void Clear()
    {
        Segment.ThrowIfClosed();
        Interlocked.And(ref *_word, ~1);
    }

    /// <summary>True once the event is set (or was set while waiting); false when the timeout passed.</summary>
    /// <exception cref="OperationCanceledException">The token fired first.</exception>
    /// <exception cref="ManagerConnectionException">The manager was disposed or died.</exception>
    public bool Wait(long timeoutMs, CancellationToken cancellationToken)
    {
        Segment.ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        int start = Volatile.Read(ref *_word);
        if ((start & 1) != 0)
        {
            return true;
        }

        if (timeoutMs == 0)
        {
            return false;
        }

        long deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((SharedEvent)s!).WakeAll(), this)
            : default;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int now = Volatile.Read(ref *_word);
            if ((now & 1) != 0 || (now >> 1) != (start >> 1))
            {
                return true;
            }

            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                return false;
            }

            Futex.Wait(_word, now, (int)Math.Min(remaining, SliceMs));
            Segment.ThrowIfClosedOrServerDead();
        }
    }

    public void WakeAll() => Futex.Wake(_word, int.MaxValue);
}
