using System.Diagnostics;

namespace Multiprocessing.Managers.FastPath;

/// <summary>
/// A <c>Lock</c> whose state is one 32-bit word in a <see cref="Segment"/>, shared by every process that maps
/// it: 0 when free; the holder's pid (plus <see cref="WaitersBit"/> when someone sleeps on it) when held;
/// <see cref="AbandonedBit"/> plus the dead holder's pid when its holder died holding it (free, and the next
/// acquirer is told once). An uncontended acquire or release is one compare-and-swap, with no system call
/// and no message to the manager; a contended acquire sleeps on the word with a futex in bounded slices, and
/// between slices checks that the holder is still alive. The manager also marks the lock abandoned when a
/// client process's last connection closes (<see cref="MarkAbandoned"/>), as it does for its own locks.
/// Not owned: any thread of any process may release it, as Python's <c>Lock</c>.
/// </summary>
internal sealed unsafe class SharedLock : IFastAcquirable
{
    public const int SegmentSize = 4096;
    public const int WaitersBit = 1 << 28;
    public const int AbandonedBit = 1 << 29;
    public const int PidMask = WaitersBit - 1;

    /// <summary>How long a waiter sleeps before it checks the holder and the manager are alive.</summary>
    private const int SliceMs = 100;
    private const int Spins = 40;

    private readonly int* _word;

    public SharedLock(Segment segment)
    {
        Segment = segment;
        _word = (int*)(segment.Base + Segment.HeaderSize);
    }

    public Segment Segment { get; }

    private ref int Word => ref *_word;

    /// <summary>Whether someone holds the lock now (a snapshot).</summary>
    public bool IsHeld => Volatile.Read(ref Word) is int state && state != 0 && (state & AbandonedBit) == 0;

    /// <summary>Acquires for <paramref name="pid"/>: <c>Ok</c>, <c>False</c> (timed out) or <c>Abandoned</c> (acquired; value = the dead holder).</summary>
    /// <exception cref="OperationCanceledException">The token fired first; nothing was acquired.</exception>
    /// <exception cref="ManagerConnectionException">The manager was disposed or died.</exception>
    public ManagerReply TryAcquire(int pid, long timeoutMs, CancellationToken cancellationToken)
    {
        Debug.Assert(pid is > 0 and <= PidMask);
        Segment.ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.CompareExchange(ref Word, pid, 0) == 0)
        {
            return ManagerReply.Ok;
        }

        return AcquireSlow(pid, timeoutMs, cancellationToken);
    }

    /// <inheritdoc />
    public ManagerReply TryAcquire(int pid, int thread, long timeoutMs, CancellationToken cancellationToken) => TryAcquire(pid, timeoutMs, cancellationToken);

    /// <inheritdoc />
    public void Release(int pid, int thread) => Release();

    /// <summary>Releases: Python's <c>release()</c>, from any thread of any process.</summary>
    /// <exception cref="SynchronizationLockException">The lock is not held.</exception>
    public void Release()
    {
        Segment.ThrowIfClosed();
        while (true)
        {
            int state = Volatile.Read(ref Word);
            if (state == 0 || (state & AbandonedBit) != 0)
            {
                throw new SynchronizationLockException("Release of an unlocked lock.");
            }

            if (Interlocked.CompareExchange(ref Word, 0, state) == state)
            {
                if ((state & WaitersBit) != 0)
                {
                    Futex.Wake(_word, 1);
                }

                return;
            }
        }
    }

    /// <summary>If <paramref name="deadPid"/> holds the lock, frees it marked abandoned and wakes every waiter.</summary>
    public void MarkAbandoned(int deadPid)
    {
        while (true)
        {
            int state = Volatile.Read(ref Word);
            if (state == 0 || (state & AbandonedBit) != 0 || (state & PidMask) != deadPid)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref Word, AbandonedBit | deadPid, state) == state)
            {
                Futex.Wake(_word, int.MaxValue);
                return;
            }
        }
    }

    /// <summary>Wakes every sleeper (the manager is closing, or a token fired); they re-check and leave or sleep again.</summary>
    public void WakeAll() => Futex.Wake(_word, int.MaxValue);

    private ManagerReply AcquireSlow(int pid, long timeoutMs, CancellationToken cancellationToken)
    {
        var spinner = default(SpinWait);
        for (int i = 0; i < Spins && !spinner.NextSpinWillYield; i++)
        {
            if (TryTake(pid, waited: false) is { } quick)
            {
                return quick;
            }

            spinner.SpinOnce();
        }

        if (timeoutMs == 0)
        {
            return TryTake(pid, waited: false) ?? ManagerReply.False;
        }

        long deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        bool waited = false;
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((SharedLock)state!).WakeAll(), this)
            : default;
        try
        {
            while (true)
            {
                if (TryTake(pid, waited) is { } reply)
                {
                    waited = false; // acquired: nothing to pass on
                    return reply;
                }

                Segment.ThrowIfClosed();
                cancellationToken.ThrowIfCancellationRequested();
                int state = Volatile.Read(ref Word);
                if (state == 0 || (state & AbandonedBit) != 0)
                {
                    continue;
                }

                if ((state & WaitersBit) == 0 && Interlocked.CompareExchange(ref Word, state | WaitersBit, state) != state)
                {
                    continue;
                }

                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    return ManagerReply.False;
                }

                waited = true;
                long before = Environment.TickCount64;
                Futex.Wait(_word, state | WaitersBit, (int)Math.Min(remaining, SliceMs));
                if (Environment.TickCount64 - before >= SliceMs - 1)
                {
                    // A full slice went by: check that the holder and the manager are still there.
                    int holder = state & PidMask;
                    if (!Futex.IsAlive(holder))
                    {
                        MarkAbandoned(holder);
                    }

                    Segment.ThrowIfClosedOrServerDead();
                }
            }
        }
        finally
        {
            if (waited)
            {
                // Leaving without the lock after sleeping (timeout, cancel): a release may have woken this
                // waiter alone, so pass the wake-up on rather than strand the others until their slice ends.
                Futex.Wake(_word, 1);
            }
        }
    }

    /// <summary>One attempt on a free word. After sleeping, the waiters bit is kept set: others may still sleep.</summary>
    private ManagerReply? TryTake(int pid, bool waited)
    {
        int state = Volatile.Read(ref Word);
        if (state != 0 && (state & AbandonedBit) == 0)
        {
            return null;
        }

        int mine = waited ? pid | WaitersBit : pid;
        if (Interlocked.CompareExchange(ref Word, mine, state) != state)
        {
            return null;
        }

        return state == 0 ? ManagerReply.Ok : new ManagerReply(ReplyStatus.Abandoned, state & PidMask);
    }
}
