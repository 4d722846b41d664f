using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using MessagePack;
using Multiprocessing.Dispatch;
using Multiprocessing.Functions;
using Multiprocessing.Protocol.Messages;
using Multiprocessing.Serialization;
using Multiprocessing.Jobs;

namespace Multiprocessing.Workers;

/// <content>Follow-up tasks issued by tasks (ITaskPool in a worker).</content>
internal sealed partial class ProcessExecutor
{
    /// <summary>
    /// A task in <paramref name="worker"/> issues follow-up tasks (<see cref="ITaskPool"/>): run them on this
    /// pool and send the results back. The requesting worker gets no other work until they are done, and
    /// if every worker is waiting, one more is started, so follow-ups always have somewhere to run.
    /// </summary>
    private void OnSubmit(WorkerProcess worker, ReadOnlyMemory<byte> body)
    {
        if (!SubmitHeader.TryRead(body.Span, out var header))
        {
            throw new InvalidDataException($"Corrupt stream: a Submit frame of {body.Length} bytes.");
        }

        long requestId = header.RequestId;
        try
        {
            int chunksize = header.Chunksize;
            var reader = new MessagePackReader(body.Slice(SubmitHeader.Size, header.DescriptorLength));
            var descriptor = FunctionDescriptor.Read(ref reader);
            byte[] items = body[(SubmitHeader.Size + header.DescriptorLength)..].ToArray();
            Delegate d = descriptor.Resolve();
            var (invoker, args, result) = Invokers.CreateDynamic(d);
            bool grow;
            lock (_gate)
            {
                AssertInvariants();
                worker.AwaitingSubtasks++;
                int live = _workers.Count(w => w.State is WorkerState.Ready or WorkerState.Starting);
                grow = !_terminated && _broken is null && live < Processes * 2
                    && _workers.All(w => w.State != WorkerState.Ready || w.AwaitingSubtasks > 0)
                    && !_workers.Any(w => w.State == WorkerState.Starting);
            }

            if (grow)
            {
                StartWorker(throwIfCannot: false);
            }

            s_runSubmitted.GetOrAdd((args, result), static key => s_runSubmittedOpen.MakeGenericMethod(key.Args, key.Result).CreateDelegate<RunSubmittedHandler>())
                (this, worker, requestId, d, invoker, items, chunksize);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ReplySubmit(worker, requestId, ex);
        }
    }

    private delegate void RunSubmittedHandler(ProcessExecutor executor, WorkerProcess worker, long requestId, Delegate d, Delegate invoker, byte[] payload, int chunksize);

    private static readonly System.Reflection.MethodInfo s_runSubmittedOpen =
        typeof(ProcessExecutor).GetMethod(nameof(RunSubmittedStatic), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    // One closed delegate per argument and result type, made once: no reflection on each follow-up Submit.
    private static readonly ConcurrentDictionary<(Type Args, Type Result), RunSubmittedHandler> s_runSubmitted = new();

    private static void RunSubmittedStatic<TArgs, TResult>(ProcessExecutor executor, WorkerProcess worker, long requestId, Delegate d, Delegate invoker, byte[] payload, int chunksize)
        => executor.RunSubmitted<TArgs, TResult>(worker, requestId, d, invoker, payload, chunksize);

    private void RunSubmitted<TArgs, TResult>(WorkerProcess worker, long requestId, Delegate d, Delegate invoker, byte[] payload, int chunksize)
    {
        TArgs[] items = _serializer.Deserialize<TArgs[]>(payload);
        var function = Prepare(d, (Func<TArgs, TResult>)invoker, "func");
        var result = new AsyncResult<IReadOnlyList<TResult>>(null, null, null);
        var job = new ListJob<TResult, IReadOnlyList<TResult>>(items.Length, result, static r => r);
        // Cut exactly as a Map in the parent (Python's cap, the measured cost, guided chunks, the upper bound).
        var pool = Owner ?? throw new ObjectDisposedException(nameof(Pool), "The pool that ran this task is gone.");
        var chunks = pool.CutIntoChunks(function, items, chunksize > 0 ? chunksize : null, job, mayKeepItems: true);
        result.AsTask().ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    var buffer = new ArrayBufferWriterBytes();
                    _serializer.Serialize(buffer, (TResult[])t.Result);
                    Reply(worker, requestId, true, buffer.ToArray());
                }
                else
                {
                    ReplySubmit(worker, requestId, t.Exception!.InnerException!);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
        Enqueue(chunks);
        Dispatch(fromSubmitter: false);
    }

    private void ReplySubmit(WorkerProcess worker, long requestId, Exception error)
    {
        var buffer = new ArrayBufferWriterBytes();
        var writer = new MessagePackWriter(buffer);
        RemoteError.From(error).Write(ref writer);
        writer.Flush();
        Reply(worker, requestId, false, buffer.ToArray());
    }

    private void Reply(WorkerProcess worker, long requestId, bool ok, byte[] body)
    {
        lock (_gate)
        {
            AssertInvariants();
            worker.AwaitingSubtasks--;
        }

        try
        {
            worker.SendSubmitResult(requestId, ok, body);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The requesting worker is gone; its task failed with it.
        }

        Dispatch(fromSubmitter: false);
    }
}
