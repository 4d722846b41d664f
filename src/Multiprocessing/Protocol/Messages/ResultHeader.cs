using System.Buffers.Binary;

namespace Multiprocessing.Protocol.Messages;

/// <summary>
/// The head of a <see cref="FrameKind.Result"/> body: <c>int64 chunkId</c>, <c>int64 elapsedTicks</c>,
/// <c>int32 failureCount</c>, <c>int32 resultLength</c>, <c>int32 blobLength</c>; then the serialized
/// results (<see cref="ResultLength"/> bytes), the failures (MessagePack <c>[offset, exception record]*</c>)
/// and <see cref="BlobLength"/> bytes of out-of-band blobs. The worker reserves it first and fills it in
/// once the lengths are known.
/// </summary>
internal readonly record struct ResultHeader(long ChunkId, long ElapsedTicks, int FailureCount, int ResultLength, int BlobLength)
{
    public const int Size = 28;

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, ChunkId);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], ElapsedTicks);
        BinaryPrimitives.WriteInt32LittleEndian(destination[16..], FailureCount);
        BinaryPrimitives.WriteInt32LittleEndian(destination[20..], ResultLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], BlobLength);
    }

    /// <summary>Reads the header of a result body; false if it is too short or its lengths do not fit in it.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out ResultHeader header)
    {
        header = default;
        if (body.Length < Size)
        {
            return false;
        }

        header = new ResultHeader(
            BinaryPrimitives.ReadInt64LittleEndian(body),
            BinaryPrimitives.ReadInt64LittleEndian(body[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(body[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(body[20..]),
            BinaryPrimitives.ReadInt32LittleEndian(body[24..]));
        return header.ResultLength >= 0 && header.BlobLength >= 0 && header.FailureCount >= 0 && Size + (long)header.ResultLength + header.BlobLength <= body.Length;
    }
}
