using System.Diagnostics;

namespace Multiprocessing.Managers.FastPath;

/// <summary>
/// A short-hold lock inside a <see cref="Segment"/> (a queue's ring, a value's bytes): a word holding the
/// holder's pid, plus <see cref="SharedLock.WaitersBit"/> when someone sleeps on it. Its holders copy a few
/// bytes and commit with one store, so a holder killed inside leaves consistent state: a waiter that finds
/// the holder's pid gone after a sleep slice (or the manager, when that process's last connection closes)
/// frees the word. Not for user code: the caller never runs anything but its own copy under it.
/// </summary>
internal sealed unsafe class SegmentMutex(Segment segment, int* word)
{
    private const int SliceMs = 50;

    private ref int Word => ref *word;

    public void Enter(int pid)
    {
        if (Interlocked.CompareExchange(ref Word, pid, 0) == 0)
        {
            return;
        }

        var spinner = default(SpinWait);
        while (true)
        {
            int state = Volatile.Read(ref Word);
            if (state == 0)
            {
                // Taken after contention: keep the waiters bit, others may sleep.
                if (Interlocked.CompareExchange(ref Word, pid | SharedLock.WaitersBit, 0) == 0)
                {
                    return;
                }

                continue;
            }

            if (!spinner.NextSpinWillYield)
            {
                spinner.SpinOnce();
                continue;
            }

            if ((state & SharedLock.WaitersBit) == 0 && Interlocked.CompareExchange(ref Word, state | SharedLock.WaitersBit, state) != state)
            {
                continue;
            }

            long before = Environment.TickCount64;
            Futex.Wait(word, state | SharedLock.WaitersBit, SliceMs);
            if (Environment.TickCount64 - before >= SliceMs - 1)
            {
                int holder = state & SharedLock.PidMask;
                if (!Futex.IsAlive(holder))
                {
                    ReleaseIfHeldBy(holder);
                }

                segment.ThrowIfClosedOrServerDead();
            }
        }
    }

    public void Exit()
    {
        int state = Interlocked.Exchange(ref Word, 0);
        Debug.Assert(state != 0, "the segment's mutex was not held");
        if ((state & SharedLock.WaitersBit) != 0)
        {
            Futex.Wake(word, 1);
        }
    }

    /// <summary>If <paramref name="deadPid"/> holds the word, frees it and wakes every sleeper.</summary>
    public void ReleaseIfHeldBy(int deadPid)
    {
        int state = Volatile.Read(ref Word);
        if (state != 0 && (state & SharedLock.PidMask) == deadPid && Interlocked.CompareExchange(ref Word, 0, state) == state)
        {
            WakeAll();
        }
    }

    public void WakeAll() => Futex.Wake(word, int.MaxValue);
}
