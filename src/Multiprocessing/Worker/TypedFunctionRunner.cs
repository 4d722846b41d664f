using System.Diagnostics;
using MessagePack;
using Multiprocessing.Functions;
using Multiprocessing.Protocol;
using Multiprocessing.Protocol.Messages;
using Multiprocessing.Serialization;

namespace Multiprocessing.Worker;

/// <summary>A <see cref="FunctionRunner"/> for a function of <typeparamref name="TArgs"/> to <typeparamref name="TResult"/>.</summary>
internal sealed class TypedFunctionRunner<TArgs, TResult>(Func<TArgs, TResult> invoke, Delegate original, IPoolSerializer serializer, int concurrency) : FunctionRunner
{
    private readonly Func<TArgs, Task<TResult>>? _async = Invokers.AsTaskFunction<TArgs, TResult>(original);

    /// <summary>The result's large arrays, reused from chunk to chunk (they go out with the frame, then are cleared).</summary>
    private readonly OutOfBandBlobs _blobs = new();

    public override ChunkOutcome Run(ReadOnlyMemory<byte> payload, long chunkId, Action? beforeEachItem, PooledBufferWriter output)
    {
        long started = Stopwatch.GetTimestamp();
        TArgs[] items;
        try
        {
            items = serializer.Deserialize<TArgs[]>(payload);
        }
#pragma warning disable CA1031 // Reported as the chunk's failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ChunkOutcome.Failed(RemoteError.From(new InvalidDataException($"The worker could not read the arguments ({typeof(TArgs)}): {ex.Message}", ex)));
        }

        TResult[] results = _async is not null && concurrency > 1
            ? ChunkRunner.RunConcurrently(_async, items, concurrency, out var failures)
            : ChunkRunner.Run(invoke, items, out failures, beforeEachItem);
        long elapsed = Stopwatch.GetElapsedTime(started).Ticks;

        int frame = FrameWriter.Begin(output, FrameKind.Result);
        int headerAt = output.Reserve(ResultHeader.Size);
        int before = output.WrittenCount;

        // Large arrays in the results stay where they are and are copied once, when the frame is sent.
        var blobs = _blobs;
        blobs.Clear();
        try
        {
            using (OutOfBandBlobs.Collect(blobs))
            {
                serializer.Serialize(output, results);
            }
        }
#pragma warning disable CA1031 // An unserializable result fails its chunk with a clear message; the worker lives on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            blobs.Clear();
            output.Truncate(frame);
            return ChunkOutcome.Failed(RemoteError.From(new NotSupportedException($"The task's result of type {typeof(TResult)} could not be serialized to send back to the parent: {ex.GetBaseException().Message}", ex)));
        }

        int resultLength = output.WrittenCount - before;
        if (failures is not null)
        {
            var writer = new MessagePackWriter(output);
            writer.WriteArrayHeader(failures.Count);
            foreach (var (offset, error) in failures)
            {
                writer.Write(offset);
                RemoteError.From(error).Write(ref writer);
            }

            writer.Flush();
        }

        new ResultHeader(chunkId, elapsed, failures?.Count ?? 0, resultLength, (int)blobs.Length).WriteTo(output.WrittenSpan.Slice(headerAt, ResultHeader.Size));
        FrameWriter.End(output, frame, blobs.Length);
        if (blobs.Count == 0)
        {
            return new ChunkOutcome(null, null, 0, elapsed);
        }

        blobs.InsertAt = output.WrittenCount;
        return new ChunkOutcome(null, blobs, 0, elapsed);
    }
}
