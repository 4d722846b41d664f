using System.Buffers;
using System.Buffers.Binary;

namespace Multiprocessing.Protocol;

/// <summary>
/// Reads frames from a stream into one growing buffer. A frame is handed out as a slice of that buffer,
/// valid until the next call. Malformed input (an impossible length, an unknown kind, a stream that ends
/// inside a frame) throws <see cref="InvalidDataException"/>: the caller drops that one connection.
/// </summary>
internal sealed class FrameReader : IDisposable
{
    /// <summary>The largest frame accepted: 2 GB less the header.</summary>
    public const int MaxFrameLength = int.MaxValue - 64;

    /// <summary>Frames at least this large are read into an array of their own (no copy through the shared buffer).</summary>
    private const int OwnedFrameThreshold = 1 << 20;

    /// <summary>A claimed length up to this is allocated at once; beyond it the buffer grows with the data.</summary>
    private const int TrustedAllocation = 256 << 20;

    private readonly Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _start;
    private int _end;

    public FrameReader(Stream stream) => _stream = stream;

    /// <summary>True when bytes of a next frame are already buffered (no read would block for its header).</summary>
    public bool HasBufferedFrame
    {
        get
        {
            if (_end - _start < 4)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start));
            return length >= 1 && _end - _start - 4 >= length;
        }
    }

    /// <summary>True when the last frame's body is an array of its own (the whole array), which the caller may keep.</summary>
    public bool LastBodyIsOwned { get; private set; }

    /// <summary>The peer's shared-memory ring, when the connection has one: Bulk frames are read through it.</summary>
    public BulkReceiver? Bulk { get; set; }

    /// <summary>True when the last frame's body lies in the peer's shared ring (valid until the next call, unless detached).</summary>
    public bool LastBodyIsShared => _lease is not null;

    private BulkLease? _lease;

    /// <summary>A frame kind this protocol knows.</summary>
    public static bool IsKnownKind(byte kind) => kind is >= (byte)FrameKind.Hello and <= (byte)FrameKind.Revoked;

    /// <summary>Keeps the last frame's shared-ring body past the next call; the caller disposes the lease when done.</summary>
    public IDisposable? DetachShared()
    {
        var lease = _lease;
        _lease = null;
        return lease;
    }

    /// <summary>Reads the next frame; returns false at a clean end of stream (between frames).</summary>
    public bool TryRead(out FrameKind kind, out ReadOnlyMemory<byte> body)
    {
        // The previous shared-ring body is done with before this call blocks, so the sender can reuse it.
        ReleaseShared();
        if (!Fill(4))
        {
            kind = default;
            body = default;
            return false;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start));
        if (length < 1 || length > MaxFrameLength)
        {
            throw new InvalidDataException($"Corrupt stream: impossible frame length {length}.");
        }

        LastBodyIsOwned = false;
        if (length - 1 >= OwnedFrameThreshold && _end - _start < 4 + length && length <= TrustedAllocation)
        {
            return ReadOwned(length, out kind, out body);
        }

        if (!Fill(4 + length))
        {
            throw new InvalidDataException($"Corrupt stream: the stream ended inside a frame of {length} bytes.");
        }

        byte k = _buffer[_start + 4];
        if (!IsKnownKind(k))
        {
            throw new InvalidDataException($"Corrupt stream: unknown frame kind {k}.");
        }

        kind = (FrameKind)k;
        body = _buffer.AsMemory(_start + 5, length - 1);
        _start += 4 + length;
        if (kind == FrameKind.Bulk)
        {
            var bulk = Bulk ?? throw new InvalidDataException("Corrupt stream: a Bulk frame on a connection without a shared ring.");
            body = bulk.Open(body.Span, out kind, out _lease);
        }

        return true;
    }

    /// <summary>
    /// A large frame goes straight into an exact-size array: what is already buffered is copied once and
    /// the rest is read into place, so a 64 MB payload is not copied through the shared buffer again.
    /// </summary>
    private bool ReadOwned(int length, out FrameKind kind, out ReadOnlyMemory<byte> body)
    {
        // Bytes after the length: the kind byte, then the body.
        if (!Fill(5))
        {
            throw new InvalidDataException($"Corrupt stream: the stream ended inside a frame of {length} bytes.");
        }

        byte k = _buffer[_start + 4];
        if (!IsKnownKind(k) || k == (byte)FrameKind.Bulk)
        {
            throw new InvalidDataException($"Corrupt stream: unknown frame kind {k}.");
        }

        var owned = GC.AllocateUninitializedArray<byte>(length - 1);
        int have = Math.Min(_end - _start - 5, owned.Length);
        _buffer.AsSpan(_start + 5, have).CopyTo(owned);
        _start += 5 + have;
        while (have < owned.Length)
        {
            int n = _stream.Read(owned, have, owned.Length - have);
            if (n == 0)
            {
                throw new InvalidDataException($"Corrupt stream: the stream ended inside a frame ({have} of {owned.Length} bytes).");
            }

            have += n;
        }

        kind = (FrameKind)k;
        body = owned;
        LastBodyIsOwned = true;
        return true;
    }

    /// <summary>
    /// Lets go of the last shared-ring body. Only the reading thread calls this (<see cref="Dispose"/> does not:
    /// another thread must never release a body the reader may still be using).
    /// </summary>
    public void ReleaseShared()
    {
        _lease?.Dispose();
        _lease = null;
    }

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        if (b.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    private bool Fill(int needed)
    {
        if (_end - _start >= needed)
        {
            return true;
        }

        if (_start > 0 && (_start == _end || _buffer.Length - _start < needed))
        {
            // Move what is buffered to the front: the frame must be contiguous.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        while (_end - _start < needed)
        {
            if (_end == _buffer.Length)
            {
                // Grow with the data that actually arrives, never to the length a header claims: a corrupt
                // or hostile length must not make this process allocate gigabytes up front.
                long grown = Math.Min((long)needed, Math.Max((long)_buffer.Length * 2, 64 * 1024));
                byte[] next = ArrayPool<byte>.Shared.Rent((int)Math.Min(grown, Array.MaxLength));
                _buffer.AsSpan(0, _end).CopyTo(next);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = next;
            }

            int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
            {
                if (_end == _start)
                {
                    return false;
                }

                throw new InvalidDataException($"Corrupt stream: the stream ended inside a frame ({_end - _start} of {needed} bytes).");
            }

            _end += n;
        }

        return true;
    }
}
