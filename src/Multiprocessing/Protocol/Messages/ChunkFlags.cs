namespace Multiprocessing.Protocol.Messages;

/// <summary>The high bits of a Chunk frame's count field; the low 28 bits are the number of tasks.</summary>
[Flags]
internal enum ChunkFlags
{
    None = 0,

    /// <summary>An <c>int32</c> follows the header: the length of the out-of-band blobs after the payload.</summary>
    OutOfBand = 1 << 28,

    /// <summary>A W3C traceparent follows the header (<c>int16</c> length, ASCII): the call is traced.</summary>
    TraceParent = 1 << 29,

    /// <summary>Stamp the start of every task, not only the chunk's (a per-call timeout applies).</summary>
    StampEachItem = 1 << 30,
}
