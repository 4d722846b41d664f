using System.Buffers.Binary;

namespace Multiprocessing.Protocol.Messages;

/// <summary>
/// The head of a <see cref="FrameKind.Submit"/> body (a task issues follow-up tasks): <c>int64 requestId</c>,
/// <c>int32 chunksize</c> (0 = automatic), <c>int32 descriptorLength</c>; the function's descriptor and the
/// serialized arguments follow.
/// </summary>
internal readonly record struct SubmitHeader(long RequestId, int Chunksize, int DescriptorLength)
{
    public const int Size = 16;

    /// <summary>Fills in a header reserved earlier (the descriptor's length is known only once it is written).</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, RequestId);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], Chunksize);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], DescriptorLength);
    }

    /// <summary>Reads the header; false if the body is too short or the descriptor does not fit in it.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out SubmitHeader header)
    {
        header = default;
        if (body.Length < Size)
        {
            return false;
        }

        header = new SubmitHeader(BinaryPrimitives.ReadInt64LittleEndian(body), BinaryPrimitives.ReadInt32LittleEndian(body[8..]), BinaryPrimitives.ReadInt32LittleEndian(body[12..]));
        return header.Chunksize >= 0 && header.DescriptorLength >= 0 && Size + (long)header.DescriptorLength <= body.Length;
    }
}
