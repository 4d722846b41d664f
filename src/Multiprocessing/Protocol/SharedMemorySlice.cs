using System.Buffers;

namespace Multiprocessing.Protocol;

/// <summary>A <see cref="Memory{T}"/> over bytes of a mapped <see cref="BulkRing"/>, valid while its lease is held.</summary>
internal sealed unsafe class SharedMemorySlice : MemoryManager<byte>
{
    private readonly byte* _pointer;
    private readonly int _length;

    public SharedMemorySlice(byte* pointer, int length)
    {
        _pointer = pointer;
        _length = length;
    }

    public override Span<byte> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
        // The mapping does not move.
    }

    protected override void Dispose(bool disposing)
    {
        // The ring owns the mapping.
    }
}
