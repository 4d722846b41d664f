using System.Buffers.Binary;

namespace Multiprocessing.Protocol.Messages;

/// <summary>
/// The head of the small frames that name one chunk or request: <c>int64 id</c> for <see cref="FrameKind.Cancel"/>,
/// <see cref="FrameKind.Revoke"/> and <see cref="FrameKind.ChunkFailed"/> (an exception record follows), and
/// <c>int64 id</c>, <c>byte flag</c> for <see cref="FrameKind.Revoked"/> (given back) and
/// <see cref="FrameKind.SubmitResult"/> (succeeded; the results or an exception record follow).
/// </summary>
internal readonly record struct IdHeader(long Id, bool Flag)
{
    public const int Size = 8;

    public const int FlaggedSize = 9;

    /// <summary>Appends the id, after <see cref="FrameWriter.Begin"/>.</summary>
    public static void Write(PooledBufferWriter output, long id) => FrameWriter.Int64(output, id);

    /// <summary>Appends the id and the flag, after <see cref="FrameWriter.Begin"/>.</summary>
    public static void Write(PooledBufferWriter output, long id, bool flag)
    {
        FrameWriter.Int64(output, id);
        output.Write([flag ? (byte)1 : (byte)0]);
    }

    /// <summary>Reads the id; false if the body is too short.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out long id)
    {
        id = body.Length >= Size ? BinaryPrimitives.ReadInt64LittleEndian(body) : 0;
        return body.Length >= Size;
    }

    /// <summary>Reads the id and the flag; false if the body is too short or the flag is neither 0 nor 1.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out IdHeader header)
    {
        header = default;
        if (body.Length < FlaggedSize || body[8] > 1)
        {
            return false;
        }

        header = new IdHeader(BinaryPrimitives.ReadInt64LittleEndian(body), body[8] == 1);
        return true;
    }

    /// <summary>The error for a body too short for its kind (the connection is corrupt).</summary>
    public static InvalidDataException Corrupt(FrameKind kind, int length) => new($"Corrupt stream: a {kind} frame of {length} bytes.");
}
