using System.Buffers;

namespace Multiprocessing.Protocol;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}"/> whose written bytes stay writable, so a
/// frame's length can be patched in after its body is written. Not thread-safe: one owner at a time.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 4096) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int WrittenCount => _written;

    public Span<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public ArraySegment<byte> WrittenSegment => new(_buffer, 0, _written);

    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _written))
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Reserves <paramref name="count"/> bytes to be filled in later and returns their offset.</summary>
    public int Reserve(int count)
    {
        Ensure(count);
        int at = _written;
        _written += count;
        return at;
    }

    /// <summary>Drops everything written after <paramref name="count"/> bytes (to undo a half-written frame).</summary>
    public void Truncate(int count) => _written = (uint)count <= (uint)_written ? count : throw new ArgumentOutOfRangeException(nameof(count));

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _written += bytes.Length;
    }

    /// <summary>
    /// Hands over what was written, in the buffer itself (no copy), and starts again on a small buffer. The
    /// array is the caller's from now on and never goes back to the pool.
    /// </summary>
    public ArraySegment<byte> Detach()
    {
        var written = new ArraySegment<byte>(_buffer, 0, _written);
        _buffer = ArrayPool<byte>.Shared.Rent(4096);
        _written = 0;
        return written;
    }

    public void Clear(int shrinkAbove = 1 << 20)
    {
        _written = 0;
        if (_buffer.Length > shrinkAbove)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(4096);
        }
    }

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        _written = 0;
        if (b.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        long wanted = Math.Max((long)_buffer.Length * 2, (long)_written + sizeHint);
        if (wanted > Array.MaxLength)
        {
            wanted = (long)_written + sizeHint <= Array.MaxLength ? Array.MaxLength : throw new OutOfMemoryException("A frame cannot exceed 2 GB.");
        }

        byte[] next = ArrayPool<byte>.Shared.Rent((int)wanted);
        _buffer.AsSpan(0, _written).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }
}
