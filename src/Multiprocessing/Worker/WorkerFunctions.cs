using System.Buffers.Binary;
using System.Diagnostics;
using MessagePack;
using Multiprocessing.Functions;
using Multiprocessing.Protocol;
using Multiprocessing.Protocol.Messages;
using Multiprocessing.Serialization;

namespace Multiprocessing.Worker;

/// <summary>The functions the parent defined on this worker's connection, and running a chunk over one of them.</summary>
internal sealed class WorkerFunctions(IPoolSerializer serializer, int concurrency)
{
    private readonly Dictionary<int, FunctionRunner> _defined = [];
    private readonly Dictionary<int, RemoteError> _failed = [];

    /// <summary>Defines a function from a <c>Define</c> body: <c>int32 functionId</c>, then its descriptor.</summary>
    public void Define(ReadOnlyMemory<byte> body)
    {
        int id = BinaryPrimitives.ReadInt32LittleEndian(body.Span);
        try
        {
            var reader = new MessagePackReader(body[4..]);
            Define(id, FunctionRunner.Create(FunctionDescriptor.Read(ref reader).Resolve(), serializer, concurrency));
        }
#pragma warning disable CA1031 // A function the worker cannot load fails the chunks that use it, not the worker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _failed[id] = RemoteError.From(new InvalidOperationException($"The worker could not load the task's method: {ex.GetBaseException().Message}", ex));
        }
    }

    public void Define(int id, FunctionRunner runner) => _defined[id] = runner;

    /// <summary>
    /// Runs a <c>Chunk</c> body and appends its <c>Result</c> or <c>ChunkFailed</c> frame to <paramref name="output"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The body's header does not fit it (the stream is corrupt).</exception>
    public ChunkOutcome RunChunk(ReadOnlyMemory<byte> body, Action? beforeEachItem, PooledBufferWriter output)
    {
        if (!ChunkHeader.TryRead(body.Span, out var header, out int payloadAt))
        {
            throw new InvalidDataException($"Corrupt chunk: a frame of {body.Length} bytes whose header does not fit it.");
        }

        Activity? activity = null;
        if (header.TraceParent is { } traceParent)
        {
            // The call is traced in the parent: the task runs under an activity with that parent, so its own
            // activities, logs and outgoing calls carry the same trace id (even with no exporter here).
            activity = new Activity("Multiprocessing.Task").SetParentId(traceParent).Start();
        }

        // Out-of-band blobs (large arrays of a blocking call's arguments) follow the payload.
        int blobLength = header.BlobLength ?? 0;
        ChunkOutcome outcome;
        try
        {
            if (_defined.TryGetValue(header.FunctionId, out var runner))
            {
                using (OutOfBandBlobs.Read(body[(body.Length - blobLength)..]))
                {
                    outcome = runner.Run(body[payloadAt..(body.Length - blobLength)], header.ChunkId, beforeEachItem, output);
                }
            }
            else
            {
                outcome = ChunkOutcome.Failed(_failed.GetValueOrDefault(header.FunctionId) ?? RemoteError.From(new InvalidDataException($"Function {header.FunctionId} was never defined.")));
            }
        }
        finally
        {
            activity?.Stop();
        }

        if (outcome.Error is { } error)
        {
            ErrorFrame.Write(output, FrameKind.ChunkFailed, header.ChunkId, error);
        }

        return outcome with { ReceivedBlobBytes = blobLength };
    }
}
