using System.Buffers.Binary;

namespace Multiprocessing.Protocol.Messages;

/// <summary>
/// The worker's first frame, <see cref="FrameKind.Hello"/>: <c>int32 index</c>, <c>int32 pid</c>,
/// <c>int32 token length</c>, then the token the parent started it with (1 to <see cref="MaxTokenLength"/> bytes).
/// </summary>
internal readonly record struct HelloMessage(int Index, int ProcessId, ReadOnlyMemory<byte> Token)
{
    public const int MaxTokenLength = 64;

    private const int HeadSize = 12;

    /// <summary>Appends the whole frame.</summary>
    public static void Write(PooledBufferWriter output, int index, int processId, ReadOnlySpan<byte> token)
    {
        int frame = FrameWriter.Begin(output, FrameKind.Hello);
        FrameWriter.Int32(output, index);
        FrameWriter.Int32(output, processId);
        FrameWriter.Int32(output, token.Length);
        output.Write(token);
        FrameWriter.End(output, frame);
    }

    /// <summary>Reads a Hello body; false if it is short, or its token length is out of range or past the body.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> body, out HelloMessage hello)
    {
        hello = default;
        var span = body.Span;
        if (span.Length < HeadSize)
        {
            return false;
        }

        int tokenLength = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        if (tokenLength is <= 0 or > MaxTokenLength || span.Length < HeadSize + tokenLength)
        {
            return false;
        }

        hello = new HelloMessage(BinaryPrimitives.ReadInt32LittleEndian(span), BinaryPrimitives.ReadInt32LittleEndian(span[4..]), body.Slice(HeadSize, tokenLength));
        return true;
    }
}
