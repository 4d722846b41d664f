namespace Multiprocessing.Managers.FastPath;

/// <summary>
/// A <c>Queue</c> whose items live in a byte ring in a <see cref="Segment"/>, guarded by a small pid-word
/// lock in the same segment. A put or get that need not wait is a few atomic operations and a copy, with no
/// system call unless someone sleeps. Waits (empty, or full against <c>maxsize</c>) sleep with a futex on an
/// epoch word that every get (for putters) or put (for getters) bumps.
/// <para>
/// Items that do not fit in the free part of the ring are spilled to the manager (one round trip, made with
/// the ring's lock held). FIFO order is kept by one rule: while any item is spilled, every put spills too,
/// and a get takes from the ring first, then from the spill. So all ring items are older than all spilled
/// ones, and the queue stays ordered. An unbounded queue's put therefore never waits, as in Python.
/// </para>
/// <para>
/// A process killed inside the ring's lock leaves the ring consistent: each side commits with one 8-byte
/// store (position and item count together), after its copy. The next process that finds the lock held by a
/// dead pid (or the manager, when that process's last connection closes) takes the lock over.
/// </para>
/// </summary>
internal sealed unsafe class SharedRing
{
    public const int DefaultRingBytes = 64 * 1024;
    private const int DataOffset = 128;
    private const int LockOffset = 0;
    private const int PutStateOffset = 8;
    private const int GetStateOffset = 16;
    private const int SpilledOffset = 24;
    private const int PutEpochOffset = 28;
    private const int GetEpochOffset = 32;
    private const int GetWaitersOffset = 36;
    private const int PutWaitersOffset = 40;
    private const int MaxSizeOffset = 44;
    private const int RingBytesOffset = 48;
    private const int UnfinishedOffset = 52;
    private const int SliceMs = 100;

    private readonly byte* _body;
    private readonly byte* _data;
    private readonly uint _mask;
    private readonly int _maxSize;
    private readonly SegmentMutex _mutex;

    public SharedRing(Segment segment)
    {
        Segment = segment;
        _body = segment.Base + Segment.HeaderSize;
        _data = segment.Base + DataOffset;
        int ringBytes = *(int*)(_body + RingBytesOffset);
        if (ringBytes <= 0 || (ringBytes & (ringBytes - 1)) != 0 || DataOffset + (long)ringBytes > segment.Size)
        {
            throw new InvalidDataException("Malformed queue segment.");
        }

        _mask = (uint)ringBytes - 1;
        _maxSize = *(int*)(_body + MaxSizeOffset);
        _mutex = new SegmentMutex(segment, (int*)(_body + LockOffset));
    }

    public Segment Segment { get; }

    public int RingBytes => (int)_mask + 1;

    /// <summary>Items queued (ring and spill): a snapshot.</summary>
    public int Count
    {
        get
        {
            Segment.ThrowIfClosed();
            long put = Volatile.Read(ref PutState);
            long got = Volatile.Read(ref GetState);
            return (int)(Items(put) - Items(got)) + Volatile.Read(ref Spilled);
        }
    }

    public bool IsFull => _maxSize > 0 && Count >= _maxSize;

    private ref long PutState => ref *(long*)(_body + PutStateOffset);

    private ref long GetState => ref *(long*)(_body + GetStateOffset);

    private ref int Spilled => ref *(int*)(_body + SpilledOffset);

    private ref int PutEpoch => ref *(int*)(_body + PutEpochOffset);

    private ref int GetEpoch => ref *(int*)(_body + GetEpochOffset);

    private ref int Unfinished => ref *(int*)(_body + UnfinishedOffset);

    private ref int GetWaiters => ref *(int*)(_body + GetWaitersOffset);

    private ref int PutWaiters => ref *(int*)(_body + PutWaitersOffset);

    /// <summary>The segment size for a ring of <paramref name="ringBytes"/> (a power of two).</summary>
    public static int SegmentSizeFor(int ringBytes) => DataOffset + ringBytes;

    /// <summary>Writes the parameters into a fresh (zeroed) segment; done by the manager before anyone maps it.</summary>
    public static void Initialize(Segment segment, int maxSize, int ringBytes)
    {
        *(int*)(segment.Base + Segment.HeaderSize + MaxSizeOffset) = maxSize;
        *(int*)(segment.Base + Segment.HeaderSize + RingBytesOffset) = ringBytes;
    }

    /// <summary>The spilled count, kept by the manager (under the ring lock held by the caller of the spill).</summary>
    public void AddSpilled(int delta) => Interlocked.Add(ref Spilled, delta);

    /// <summary>Adds an item: false when the queue stayed full past the timeout.</summary>
    /// <exception cref="OperationCanceledException">The token fired first; the item was not added.</exception>
    /// <exception cref="ManagerConnectionException">The manager was disposed or died.</exception>
    public bool TryPut(int pid, byte[] item, long timeoutMs, IRingSpill spill, CancellationToken cancellationToken)
    {
        Segment.ThrowIfClosed();
        long deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        CancellationTokenRegistration registration = default;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int epoch;
                _mutex.Enter(pid);
                try
                {
                    long put = PutState;
                    long got = GetState;
                    int spilled = Spilled;
                    if (_maxSize <= 0 || (int)(Items(put) - Items(got)) + spilled < _maxSize)
                    {
                        uint need = Need(item.Length);
                        uint used = Position(put) - Position(got);
                        if (spilled == 0 && need <= RingBytes - used)
                        {
                            Write(Position(put), item);
                            Volatile.Write(ref PutState, Pack(Position(put) + need, Items(put) + 1));
                        }
                        else
                        {
                            spill.Put(item); // the manager counts it in Spilled
                        }

                        Interlocked.Increment(ref PutEpoch);
                        Interlocked.Increment(ref Unfinished);
                        epoch = -1;
                    }
                    else if (timeoutMs == 0 || deadline - Environment.TickCount64 <= 0)
                    {
                        return false;
                    }
                    else
                    {
                        epoch = GetEpoch;
                        Interlocked.Increment(ref PutWaiters);
                    }
                }
                finally
                {
                    _mutex.Exit();
                }

                if (epoch == -1)
                {
                    WakeSleepers(GetWaitersOffset, PutEpochOffset);

                    return true;
                }

                Sleep(ref registration, GetEpochOffset, PutWaitersOffset, epoch, deadline, cancellationToken);
            }
        }
        finally
        {
            registration.Dispose();
        }
    }

    /// <summary>Removes the oldest item: null when the queue stayed empty past the timeout.</summary>
    /// <exception cref="OperationCanceledException">The token fired first; nothing was removed.</exception>
    /// <exception cref="ManagerConnectionException">The manager was disposed or died.</exception>
    public byte[]? TryGet(int pid, long timeoutMs, IRingSpill spill, CancellationToken cancellationToken)
    {
        Segment.ThrowIfClosed();
        long deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        CancellationTokenRegistration registration = default;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                byte[]? item = null;
                int epoch = 0;
                _mutex.Enter(pid);
                try
                {
                    long put = PutState;
                    long got = GetState;
                    if (Items(put) != Items(got))
                    {
                        item = Read(Position(got));
                        Volatile.Write(ref GetState, Pack(Position(got) + Need(item.Length), Items(got) + 1));
                    }
                    else if (Volatile.Read(ref Spilled) > 0)
                    {
                        item = spill.Take(); // the manager counts it out of Spilled
                    }
                    else if (timeoutMs == 0 || deadline - Environment.TickCount64 <= 0)
                    {
                        return null;
                    }
                    else
                    {
                        epoch = PutEpoch;
                        Interlocked.Increment(ref GetWaiters);
                    }

                    if (item is not null)
                    {
                        Interlocked.Increment(ref GetEpoch);
                    }
                }
                finally
                {
                    _mutex.Exit();
                }

                if (item is not null)
                {
                    WakeSleepers(PutWaitersOffset, GetEpochOffset);

                    return item;
                }

                Sleep(ref registration, PutEpochOffset, GetWaitersOffset, epoch, deadline, cancellationToken);
            }
        }
        finally
        {
            registration.Dispose();
        }
    }

    /// <summary>Sleeps on an epoch word (this waiter was counted in <paramref name="waitersOffset"/> under the lock) for one slice.</summary>
    /// <summary>Wakes the other side's sleepers, if any sleep: they wait on the epoch this side just moved.</summary>
    private void WakeSleepers(int waitersOffset, int epochOffset)
    {
        if (Volatile.Read(ref *(int*)(_body + waitersOffset)) > 0)
        {
            Futex.Wake((int*)(_body + epochOffset), int.MaxValue);
        }
    }

    private void Sleep(ref CancellationTokenRegistration registration, int epochOffset, int waitersOffset, int epoch, long deadline, CancellationToken cancellationToken)
    {
        try
        {
            if (registration == default && cancellationToken.CanBeCanceled)
            {
                registration = cancellationToken.UnsafeRegister(static s => ((SharedRing)s!).WakeAll(), this);
            }

            long remaining = Math.Max(1, deadline - Environment.TickCount64);
            Futex.Wait((int*)(_body + epochOffset), epoch, (int)Math.Min(remaining, SliceMs));
        }
        finally
        {
            Interlocked.Decrement(ref *(int*)(_body + waitersOffset));
        }

        Segment.ThrowIfClosedOrServerDead();
    }

    /// <summary>JoinableQueue's <c>task_done()</c>: one fewer unfinished item; at zero, joiners wake.</summary>
    /// <exception cref="InvalidOperationException">Called more times than items were put.</exception>
    public void TaskDone()
    {
        Segment.ThrowIfClosed();
        while (true)
        {
            int unfinished = Volatile.Read(ref Unfinished);
            if (unfinished <= 0)
            {
                throw new InvalidOperationException("TaskDone() was called more times than there were items put.");
            }

            if (Interlocked.CompareExchange(ref Unfinished, unfinished - 1, unfinished) == unfinished)
            {
                if (unfinished == 1)
                {
                    Futex.Wake((int*)(_body + UnfinishedOffset), int.MaxValue);
                }

                return;
            }
        }
    }

    /// <summary>JoinableQueue's <c>join()</c>: true once every item put has been marked done; false when the timeout passed.</summary>
    /// <exception cref="OperationCanceledException">The token fired first.</exception>
    /// <exception cref="ManagerConnectionException">The manager was disposed or died.</exception>
    public bool Join(long timeoutMs, CancellationToken cancellationToken)
    {
        Segment.ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        long deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((SharedRing)s!).WakeAll(), this)
            : default;
        while (true)
        {
            int unfinished = Volatile.Read(ref Unfinished);
            if (unfinished == 0)
            {
                return true;
            }

            long remaining = deadline - Environment.TickCount64;
            if (timeoutMs == 0 || remaining <= 0)
            {
                return false;
            }

            Futex.Wait((int*)(_body + UnfinishedOffset), unfinished, (int)Math.Min(remaining, SliceMs));
            Segment.ThrowIfClosedOrServerDead();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>If <paramref name="deadPid"/> holds the ring's lock, frees it (the ring is consistent) and wakes everyone.</summary>
    public void ReleaseIfHeldBy(int deadPid) => _mutex.ReleaseIfHeldBy(deadPid);

    /// <summary>Wakes every sleeper on the ring (closing, a token fired, a dead lock holder removed).</summary>
    public void WakeAll()
    {
        _mutex.WakeAll();
        Futex.Wake((int*)(_body + UnfinishedOffset), int.MaxValue);
        Futex.Wake((int*)(_body + PutEpochOffset), int.MaxValue);
        Futex.Wake((int*)(_body + GetEpochOffset), int.MaxValue);
    }

    private static uint Position(long state) => (uint)state;

    private static uint Items(long state) => (uint)((ulong)state >> 32);

    private static long Pack(uint position, uint items) => (long)(((ulong)items << 32) | position);

    /// <summary>A length word and the bytes, rounded up to 4 so that length words never straddle the end.</summary>
    private static uint Need(int length) => 4 + (((uint)length + 3) & ~3u);

    private void Write(uint position, byte[] item)
    {
        *(int*)(_data + (position & _mask)) = item.Length;
        Copy(item, position + 4, toRing: true);
    }

    private byte[] Read(uint position)
    {
        int length = *(int*)(_data + (position & _mask));
        if (length < 0 || length > RingBytes - 4)
        {
            throw new InvalidDataException("Malformed queue ring.");
        }

        byte[] item = new byte[length];
        Copy(item, position + 4, toRing: false);
        return item;
    }

    private void Copy(byte[] item, uint position, bool toRing)
    {
        int offset = (int)(position & _mask);
        int first = Math.Min(item.Length, RingBytes - offset);
        var ringFirst = new Span<byte>(_data + offset, first);
        var ringRest = new Span<byte>(_data, item.Length - first);
        if (toRing)
        {
            item.AsSpan(0, first).CopyTo(ringFirst);
            item.AsSpan(first).CopyTo(ringRest);
        }
        else
        {
            ringFirst.CopyTo(item);
            ringRest.CopyTo(item.AsSpan(first));
        }
    }

}
