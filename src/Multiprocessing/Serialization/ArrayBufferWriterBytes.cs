using System.Buffers;

namespace Multiprocessing.Serialization;

/// <summary>An <see cref="ArrayBufferWriter{T}"/> of bytes that hands back an exact-size copy.</summary>
internal sealed class ArrayBufferWriterBytes : IBufferWriter<byte>
{
    private readonly ArrayBufferWriter<byte> _inner = new(256);

    public void Advance(int count) => _inner.Advance(count);

    public Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);

    public byte[] ToArray() => _inner.WrittenSpan.ToArray();
}
