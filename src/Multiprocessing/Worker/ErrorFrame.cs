using MessagePack;
using Multiprocessing.Protocol;
using Multiprocessing.Protocol.Messages;
using Multiprocessing.Serialization;

namespace Multiprocessing.Worker;

/// <summary>The frames a worker fails with: <c>InitFailed</c> (no chunk id) and <c>ChunkFailed</c>.</summary>
internal static class ErrorFrame
{
    public static void Write(PooledBufferWriter output, FrameKind kind, long? chunkId, RemoteError error)
    {
        int frame = FrameWriter.Begin(output, kind);
        if (chunkId is { } id)
        {
            IdHeader.Write(output, id);
        }

        var writer = new MessagePackWriter(output);
        error.Write(ref writer);
        writer.Flush();
        FrameWriter.End(output, frame);
    }
}
