using System.Buffers.Binary;

namespace Multiprocessing.Protocol;

/// <summary>
/// Appends frames to a buffer: <c>[int32 length][byte kind][body]</c>, little-endian, where length counts
/// the kind byte and the body. Several frames go out in one write.
/// </summary>
internal static class FrameWriter
{
    public const int HeaderSize = 5;

    /// <summary>Starts a frame and returns its offset, to be passed to <see cref="End"/>.</summary>
    public static int Begin(PooledBufferWriter buffer, FrameKind kind)
    {
        int at = buffer.Reserve(HeaderSize);
        buffer.WrittenSpan[at + 4] = (byte)kind;
        return at;
    }

    /// <param name="buffer">The buffer holding the frame.</param>
    /// <param name="frameStart">What <see cref="Begin"/> returned.</param>
    /// <param name="outOfBand">Bytes of the frame sent after it from elsewhere (its out-of-band blobs).</param>
    public static void End(PooledBufferWriter buffer, int frameStart, long outOfBand = 0)
    {
        long length = buffer.WrittenCount - frameStart - 4 + outOfBand;
        if (length > FrameReader.MaxFrameLength)
        {
            throw new InvalidOperationException($"A frame of {length} bytes is over the 2 GB limit.");
        }

        BinaryPrimitives.WriteInt32LittleEndian(buffer.WrittenSpan.Slice(frameStart, 4), (int)length);
    }

    public static void WriteInt32(PooledBufferWriter buffer, int value) => BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);

    public static void Int32(PooledBufferWriter buffer, int value)
    {
        WriteInt32(buffer, value);
        buffer.Advance(4);
    }

    public static void Int64(PooledBufferWriter buffer, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    public static void Empty(PooledBufferWriter buffer, FrameKind kind) => End(buffer, Begin(buffer, kind));
}
