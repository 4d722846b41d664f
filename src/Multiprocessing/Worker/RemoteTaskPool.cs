using System.Collections.Concurrent;
using MessagePack;
using Multiprocessing.Functions;
using Multiprocessing.Protocol;
using Multiprocessing.Protocol.Messages;
using Multiprocessing.Serialization;

namespace Multiprocessing.Worker;

/// <summary>
/// <see cref="ITaskPool"/> inside a worker process: a follow-up Map goes to the parent as a
/// <see cref="FrameKind.Submit"/> frame on the worker's connection, and its results come back as
/// <see cref="FrameKind.SubmitResult"/>, which the worker's reader thread hands to the waiting task.
/// </summary>
internal sealed class RemoteTaskPool(Action<PooledBufferWriter> send, IPoolSerializer serializer) : ITaskPool
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<(bool Ok, byte[] Body)>> _pending = new();
    private long _nextRequest;

    public async Task<IReadOnlyList<TResult>> MapAsync<T, TResult>(Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        ArgumentNullException.ThrowIfNull(iterable);
        cancellationToken.ThrowIfCancellationRequested();
        var descriptor = FunctionDescriptor.Create(func, nameof(func));
        T[] items = [.. iterable];
        long id = Interlocked.Increment(ref _nextRequest);
        var reply = new TaskCompletionSource<(bool, byte[])>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        using (var frame = new PooledBufferWriter())
        {
            int start = FrameWriter.Begin(frame, FrameKind.Submit);
            int headerAt = frame.Reserve(SubmitHeader.Size);
            int before = frame.WrittenCount;
            var writer = new MessagePackWriter(frame);
            descriptor.Write(ref writer);
            writer.Flush();
            new SubmitHeader(id, chunksize ?? 0, frame.WrittenCount - before).WriteTo(frame.WrittenSpan.Slice(headerAt, SubmitHeader.Size));
            try
            {
                serializer.Serialize(frame, items);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _pending.TryRemove(id, out _);
                throw new ArgumentException($"An item of type {typeof(T)} cannot be serialized: {ex.GetBaseException().Message}", nameof(iterable), ex);
            }

            FrameWriter.End(frame, start);
            send(frame);
        }

        // The wire has no cancel message for a follow-up: a cancelled wait stops waiting, and its reply is dropped.
        var (ok, body) = await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!ok)
        {
            var reader = new MessagePackReader(body);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(RemoteError.Read(ref reader).ToException());
        }

        return serializer.Deserialize<TResult[]>(body);
    }

    /// <summary>Called by the worker's reader thread with a SubmitResult body.</summary>
    public void Complete(ReadOnlySpan<byte> body)
    {
        if (!IdHeader.TryRead(body, out IdHeader header))
        {
            throw IdHeader.Corrupt(FrameKind.SubmitResult, body.Length);
        }

        if (_pending.TryRemove(header.Id, out var reply))
        {
            reply.TrySetResult((header.Flag, body[IdHeader.FlaggedSize..].ToArray()));
        }
    }
}
