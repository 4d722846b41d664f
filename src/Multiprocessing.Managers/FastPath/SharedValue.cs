using System.Runtime.CompilerServices;

namespace Multiprocessing.Managers.FastPath;

/// <summary>
/// A <c>Value</c> of an unmanaged type (no references: numbers, enums, plain structs) as its raw bytes in a
/// <see cref="Segment"/>, read and written under a <see cref="SegmentMutex"/> so that no reader sees half a
/// write. Each read or write stays atomic on its own, as on the socket path; <c>Value += 1</c> still needs a
/// shared lock around it.
/// </summary>
internal sealed unsafe class SharedValue
{
    public const int SegmentSize = 4096;
    public const int DataOffset = 128;
    public const int MaxBytes = SegmentSize - DataOffset;
    private const int MutexOffset = 0;
    private const int SizeOffset = 4;

    private readonly byte* _data;
    private readonly SegmentMutex _mutex;

    public SharedValue(Segment segment)
    {
        Segment = segment;
        byte* body = segment.Base + Segment.HeaderSize;
        _mutex = new SegmentMutex(segment, (int*)(body + MutexOffset));
        Size = *(int*)(body + SizeOffset);
        _data = segment.Base + DataOffset;
    }

    public Segment Segment { get; }

    /// <summary>The size of the value type the manager made it for.</summary>
    public int Size { get; }

    /// <summary>Whether <typeparamref name="T"/> can live in a segment.</summary>
    public static bool Fits<T>() => !RuntimeHelpers.IsReferenceOrContainsReferences<T>() && Unsafe.SizeOf<T>() <= MaxBytes;

    /// <summary>Writes the size and the initial bytes into a fresh segment, before anyone maps it.</summary>
    public static void Initialize(Segment segment, ReadOnlySpan<byte> initial)
    {
        *(int*)(segment.Base + Segment.HeaderSize + SizeOffset) = initial.Length;
        initial.CopyTo(new Span<byte>(segment.Base + DataOffset, initial.Length));
    }

    public T Read<T>(int pid)
    {
        Segment.ThrowIfClosed();
        _mutex.Enter(pid);
        try
        {
            return Unsafe.ReadUnaligned<T>(_data);
        }
        finally
        {
            _mutex.Exit();
        }
    }

    public void Write<T>(int pid, T value)
    {
        Segment.ThrowIfClosed();
        _mutex.Enter(pid);
        try
        {
            Unsafe.WriteUnaligned(_data, value);
        }
        finally
        {
            _mutex.Exit();
        }
    }

    /// <summary>The raw bytes (for the manager serving a socket client).</summary>
    public byte[] ReadBytes(int pid)
    {
        Segment.ThrowIfClosed();
        _mutex.Enter(pid);
        try
        {
            return new ReadOnlySpan<byte>(_data, Size).ToArray();
        }
        finally
        {
            _mutex.Exit();
        }
    }

    /// <summary>Replaces the raw bytes (for the manager serving a socket client).</summary>
    public void WriteBytes(int pid, ReadOnlySpan<byte> raw)
    {
        Segment.ThrowIfClosed();
        _mutex.Enter(pid);
        try
        {
            raw[..Size].CopyTo(new Span<byte>(_data, Size));
        }
        finally
        {
            _mutex.Exit();
        }
    }

    public void ReleaseIfHeldBy(int deadPid) => _mutex.ReleaseIfHeldBy(deadPid);

    public void WakeAll() => _mutex.WakeAll();
}
