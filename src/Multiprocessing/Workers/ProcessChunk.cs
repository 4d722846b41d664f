using MessagePack;
using Multiprocessing.Dispatch;
using Multiprocessing.Serialization;
using Multiprocessing.Jobs;

namespace Multiprocessing.Workers;

/// <summary>A chunk on its way to a worker process: serialized arguments and the function's id.</summary>
internal abstract class ProcessChunk(Job job, long start, int count, int functionId, Functions.FunctionDescriptor descriptor, ArraySegment<byte> payload)
    : Chunk(job, start, count)
{
    public long Id { get; set; }

    /// <summary>The task timeout for this chunk's tasks, when a <see cref="TaskTimeoutScope"/> overrode the pool's.</summary>
    public TimeSpan? TimeoutOverride { get; } = TaskTimeoutScope.Current;

    /// <summary>What this chunk added to its worker's queued-work estimate (under the executor's lock).</summary>
    public long EstimatedTicks { get; set; }

    public int FunctionId { get; } = functionId;

    /// <summary>True while a Revoke for it is on its way to its worker (under the executor's lock).</summary>
    public bool Revoking { get; set; }

    /// <summary>True once its worker refused a revoke (it had begun): it is not asked for again (under the executor's lock).</summary>
    public bool RevokeRefused { get; set; }

    /// <summary>Whether it went to a worker that had not run its function before (set when sent; read when its result is settled).</summary>
    public bool RanCold { get; set; }

    public Functions.FunctionDescriptor Descriptor { get; } = descriptor;

    public ArraySegment<byte> Payload { get; } = payload;

    /// <summary>Large arrays of the arguments, sent after the payload (a blocking call's, read in place).</summary>
    public OutOfBandBlobs? Blobs { get; init; }

    /// <summary>How each earlier attempt ended, when the chunk was retried after its worker crashed.</summary>
    public List<string> Attempts => _attempts ??= [];

    /// <summary>How many earlier attempts there were (without allocating the list for the usual none).</summary>
    public int AttemptCount => _attempts?.Count ?? 0;

    private List<string>? _attempts;

    /// <summary>
    /// Reads a Result frame's body (its <see cref="Protocol.Messages.ResultHeader"/> already read) and hands the
    /// results to the job: the serialized part with the frame's out-of-band blobs in scope.
    /// </summary>
    public virtual void DeliverBody(IPoolSerializer serializer, ReadOnlyMemory<byte> body, in Protocol.Messages.ResultHeader header)
    {
        const int at = Protocol.Messages.ResultHeader.Size;
        int blobLength = header.BlobLength;
        using (OutOfBandBlobs.Read(body[(body.Length - blobLength)..]))
        {
            Deliver(serializer, body.Slice(at, header.ResultLength), header.FailureCount, body[(at + header.ResultLength)..(body.Length - blobLength)]);
        }
    }

    /// <summary>Reads a Result frame's results and failures and hands them to the job.</summary>
    public abstract void Deliver(IPoolSerializer serializer, ReadOnlyMemory<byte> results, int failureCount, ReadOnlyMemory<byte> failures);

    protected static List<(int Offset, Exception Error)>? ReadFailures(int count, ReadOnlyMemory<byte> bytes)
    {
        if (count == 0)
        {
            return null;
        }

        var reader = new MessagePackReader(bytes);
        int n = reader.ReadArrayHeader();
        var list = new List<(int, Exception)>(n);
        for (int i = 0; i < n; i++)
        {
            int offset = reader.ReadInt32();
            list.Add((offset, RemoteError.Read(ref reader).ToException()));
        }

        return list;
    }
}

/// <summary>A chunk whose results are <typeparamref name="TResult"/>.</summary>
internal sealed class ProcessChunk<TResult>(Job<TResult> job, long start, int count, int functionId, Functions.FunctionDescriptor descriptor, ArraySegment<byte> payload)
    : ProcessChunk(job, start, count, functionId, descriptor, payload)
{
    public override void Deliver(IPoolSerializer serializer, ReadOnlyMemory<byte> results, int failureCount, ReadOnlyMemory<byte> failures)
    {
        TResult[] values = [];
        List<(int, Exception)>? failed;
        bool inPlace;
        try
        {
            // Primitive results go straight into the job's results array (a Map's own): no array per chunk, no copy.
            // A static call on the default serializer, not an interface's generic method: the runtime ignores precompiled
            // code for generic virtual methods, and this runs once per chunk.
            inPlace = serializer is MessagePackPoolSerializer && job.ResultsFor(Start, Count) is { Length: > 0 } into
                && MessagePackPoolSerializer.TryDeserializeInto(results, into);
            if (!inPlace)
            {
                values = serializer.Deserialize<TResult[]>(results);
            }

            failed = ReadFailures(failureCount, failures);
        }
#pragma warning disable CA1031 // A result this process cannot read fails its chunk, not the connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(new InvalidOperationException($"The result ({typeof(TResult)}) sent back by the worker could not be read: {ex.GetBaseException().Message}", ex));
            return;
        }

        if (inPlace)
        {
            job.CompleteChunkInPlace(Start, Count, failed);
        }
        else
        {
            job.CompleteChunk(Start, values, failed);
        }
    }
}
