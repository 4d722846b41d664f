using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Multiprocessing.Protocol.Messages;

/// <summary>
/// The head of a <see cref="FrameKind.Chunk"/> body: <c>int64 chunkId</c>, <c>int32 functionId</c>,
/// <c>int32 count | flags</c>, then a traceparent (<see cref="ChunkFlags.TraceParent"/>) and an
/// <c>int32 blobLength</c> (<see cref="ChunkFlags.OutOfBand"/>) when flagged. The serialized arguments
/// follow, then <see cref="BlobLength"/> bytes of out-of-band blobs. Written and read only here.
/// </summary>
internal readonly record struct ChunkHeader(long ChunkId, int FunctionId, int Count, bool StampEachItem, string? TraceParent, int? BlobLength)
{
    private const int CountMask = (1 << 28) - 1;

    /// <summary>The largest task count a chunk can carry (the count shares its field with the flags).</summary>
    public const int MaxCount = CountMask;

    private const int FixedSize = 16;

    /// <summary>The offset of the count-and-flags field, for a reader that only peeks at the flags.</summary>
    public const int FlagsOffset = 12;

    /// <summary>Appends the header (not the frame's length and kind, which <see cref="FrameWriter.Begin"/> writes).</summary>
    public void Write(IBufferWriter<byte> output)
    {
        var flags = (StampEachItem ? ChunkFlags.StampEachItem : 0) | (TraceParent is null ? 0 : ChunkFlags.TraceParent) | (BlobLength is null ? 0 : ChunkFlags.OutOfBand);
        var span = output.GetSpan(FixedSize);
        BinaryPrimitives.WriteInt64LittleEndian(span, ChunkId);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], FunctionId);
        BinaryPrimitives.WriteInt32LittleEndian(span[FlagsOffset..], Count | (int)flags);
        output.Advance(FixedSize);
        if (TraceParent is { } traceParent)
        {
            int length = Encoding.ASCII.GetByteCount(traceParent);
            span = output.GetSpan(2 + length);
            BinaryPrimitives.WriteInt16LittleEndian(span, (short)length);
            Encoding.ASCII.GetBytes(traceParent, span[2..]);
            output.Advance(2 + length);
        }

        if (BlobLength is { } blobLength)
        {
            BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), blobLength);
            output.Advance(4);
        }
    }

    /// <summary>Reads only the flags of a chunk body (before the whole header is needed).</summary>
    public static ChunkFlags PeekFlags(ReadOnlySpan<byte> body)
        => body.Length < FixedSize ? ChunkFlags.None : (ChunkFlags)(BinaryPrimitives.ReadInt32LittleEndian(body[FlagsOffset..]) & ~CountMask);

    /// <summary>Reads the header of a chunk body; false if the body is too short or its lengths impossible.</summary>
    /// <param name="body">The frame's body.</param>
    /// <param name="header">The header.</param>
    /// <param name="payloadOffset">Where the serialized arguments start.</param>
    public static bool TryRead(ReadOnlySpan<byte> body, out ChunkHeader header, out int payloadOffset)
    {
        header = default;
        payloadOffset = 0;
        if (body.Length < FixedSize)
        {
            return false;
        }

        long chunkId = BinaryPrimitives.ReadInt64LittleEndian(body);
        int functionId = BinaryPrimitives.ReadInt32LittleEndian(body[8..]);
        int field = BinaryPrimitives.ReadInt32LittleEndian(body[FlagsOffset..]);
        var flags = (ChunkFlags)(field & ~CountMask);
        int at = FixedSize;
        string? traceParent = null;
        if ((flags & ChunkFlags.TraceParent) != 0)
        {
            if (body.Length < at + 2)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadInt16LittleEndian(body[at..]);
            if (length < 0 || body.Length < at + 2 + length)
            {
                return false;
            }

            traceParent = Encoding.ASCII.GetString(body.Slice(at + 2, length));
            at += 2 + length;
        }

        int? blobLength = null;
        if ((flags & ChunkFlags.OutOfBand) != 0)
        {
            if (body.Length < at + 4)
            {
                return false;
            }

            int blobs = BinaryPrimitives.ReadInt32LittleEndian(body[at..]);
            at += 4;
            if (blobs < 0 || at + (long)blobs > body.Length)
            {
                return false;
            }

            blobLength = blobs;
        }

        header = new ChunkHeader(chunkId, functionId, field & CountMask, (flags & ChunkFlags.StampEachItem) != 0, traceParent, blobLength);
        payloadOffset = at;
        return true;
    }
}
