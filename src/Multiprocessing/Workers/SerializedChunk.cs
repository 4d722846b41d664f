using Multiprocessing.Jobs;
using Multiprocessing.Protocol.Messages;
using Multiprocessing.Serialization;

namespace Multiprocessing.Workers;

/// <summary>
/// A chunk that arrived already serialized (from a cluster driver) and goes back the same way: its arguments are
/// never read in this process and its Result frame's body is handed on as bytes, so that a silo needs none of the
/// user's types beyond what its workers load.
/// </summary>
internal sealed class SerializedChunk(SerializedJob job, int count, int functionId, Functions.FunctionDescriptor descriptor, ArraySegment<byte> payload)
    : ProcessChunk(job, 0, count, functionId, descriptor, payload)
{
    public override void DeliverBody(IPoolSerializer serializer, ReadOnlyMemory<byte> body, in ResultHeader header)
        => job.Complete(new SerializedResult(body.ToArray(), null, RanCold));

    public override void Deliver(IPoolSerializer serializer, ReadOnlyMemory<byte> results, int failureCount, ReadOnlyMemory<byte> failures)
        => throw new InvalidOperationException("A serialized chunk is delivered whole (DeliverBody).");
}

/// <summary>What became of a <see cref="SerializedChunk"/>: a Result frame's body, or why the chunk failed as a whole.</summary>
/// <param name="ResultBody">The Result frame's body (<see cref="ResultHeader"/> first), or null when it failed.</param>
/// <param name="Error">Why the whole chunk failed (a crashed worker, a broken or terminated pool).</param>
/// <param name="RanCold">Whether the worker had not run this function before (its time includes start-up costs).</param>
internal sealed record SerializedResult(byte[]? ResultBody, Exception? Error, bool RanCold);

/// <summary>The one chunk of a serialized call, and the task its caller awaits.</summary>
internal sealed class SerializedJob : Job
{
    private readonly TaskCompletionSource<SerializedResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _abandoned;

    public Task<SerializedResult> Task => _done.Task;

    public override bool IsAbandoned => _abandoned;

    /// <summary>The caller no longer wants the result: a chunk not started is dropped, and the task is cancelled.</summary>
    public void Abandon()
    {
        _abandoned = true;
        _done.TrySetCanceled();
    }

    public void Complete(SerializedResult result) => _done.TrySetResult(result);

    public override void FailChunk(long start, int count, Exception error) => _done.TrySetResult(new SerializedResult(null, error, false));
}
