using System.Diagnostics;
using System.Net.Sockets;
using MessagePack;
using Multiprocessing.Diagnostics;
using Multiprocessing.Functions;
using Multiprocessing.Protocol;
using Multiprocessing.Protocol.Messages;
using Multiprocessing.Serialization;
using Multiprocessing.Jobs;

namespace Multiprocessing.Workers;

/// <content>The reader loop: results in, chunks settled, idle workers told to exit.</content>
internal sealed partial class ProcessExecutor
{
    private void ReadLoop(WorkerProcess worker)
    {
        Exception? failure = null;
        try
        {
            var reader = worker.Reader!;
            while (reader.TryRead(out var kind, out var body))
            {
                switch (kind)
                {
                    case FrameKind.Ready:
                        OnReady(worker);
                        break;
                    case FrameKind.InitFailed:
                        OnInitializerFailed(worker, ReadError(body));
                        break;
                    case FrameKind.Result:
                        OnResult(worker, body);
                        break;
                    case FrameKind.Submit:
                        OnSubmit(worker, body);
                        break;
                    case FrameKind.Retire:
                        OnRetire(worker);
                        break;
                    case FrameKind.Revoked:
                        if (body.Length != IdHeader.FlaggedSize || !IdHeader.TryRead(body.Span, out IdHeader revoked))
                        {
                            throw IdHeader.Corrupt(kind, body.Length);
                        }

                        OnRevoked(worker, revoked.Id, revoked.Flag);
                        break;
                    case FrameKind.ChunkFailed:
                        OnChunkFailed(worker, IdHeader.TryRead(body.Span, out long failedId) ? failedId : throw IdHeader.Corrupt(kind, body.Length), ReadError(body[IdHeader.Size..]));
                        break;
                    default:
                        throw new InvalidDataException($"Corrupt stream: a worker sent a {kind} frame.");
                }

                if (!reader.HasBufferedFrame)
                {
                    AfterBatch(worker);
                }
            }
        }
#pragma warning disable CA1031 // Whatever ends the connection, the worker is treated as lost, never the parent.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }

        // A frame read in place from the worker's ring is let go here, on the thread that read it.
        worker.Reader?.ReleaseShared();
        try
        {
            Lost(worker, failure);
        }
#pragma warning disable CA1031 // The reader thread must never take the application down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Warn(logger => PoolLog.LossHandlingFailed(logger, ex, worker.ToString()), $"handling the loss of {worker} failed: {ex}");
        }
    }

    private static Exception ReadError(ReadOnlyMemory<byte> body)
    {
        var reader = new MessagePackReader(body);
        return RemoteError.Read(ref reader).ToException();
    }

    private void OnResult(WorkerProcess worker, ReadOnlyMemory<byte> body)
    {
        if (!ResultHeader.TryRead(body.Span, out var header))
        {
            throw new InvalidDataException($"Corrupt stream: a Result frame of {body.Length} bytes whose header does not fit it.");
        }

        // Large arrays of the results follow the frame's serialized part (its blob section).
        Settle(worker, header.ChunkId, header.ElapsedTicks)?.DeliverBody(_serializer, body, header);
    }

    /// <summary>
    /// A worker's answer to a revoke: the chunk given back goes to the front of the queue (the dispatch after
    /// this batch hands it to the idle worker it was asked back for); one that began stays, and is never
    /// asked for again.
    /// </summary>
    private void OnRevoked(WorkerProcess worker, long id, bool givenBack)
    {
        lock (_gate)
        {
            if (!worker.InFlight.TryGetValue(id, out var chunk) || !chunk.Revoking)
            {
                return;
            }

            chunk.Revoking = false;
            worker.Revoking--;
            if (!givenBack)
            {
                chunk.RevokeRefused = true;
                return;
            }

            worker.InFlight.Remove(id);
            worker.QueuedTicks -= chunk.EstimatedTicks;
            worker.ChunksAssigned--;
            RequeueAtFront([chunk]);
        }
    }

    private void OnChunkFailed(WorkerProcess worker, long id, Exception error) => Settle(worker, id, -1)?.Fail(error);

    private ProcessChunk? Settle(WorkerProcess worker, long id, long elapsedTicks)
    {
        lock (_gate)
        {
            AssertInvariants();
            if (!worker.InFlight.Remove(id, out var chunk))
            {
                return null;
            }

            worker.QueuedTicks -= chunk.EstimatedTicks;
            if (chunk.Revoking)
            {
                // Its result came before the answer to the revoke (the answer, when it comes, finds nothing).
                chunk.Revoking = false;
                worker.Revoking--;
            }

            if (elapsedTicks >= 0)
            {
                RecordRun(worker, chunk, elapsedTicks);
                if (!_costs.TryGetValue(chunk.FunctionId, out var cost))
                {
                    _costs[chunk.FunctionId] = cost = new Dispatch.TaskCost();
                }

                cost.Add(chunk.Count, elapsedTicks, chunk.RanCold);
            }

            return chunk;
        }
    }

    /// <summary>Metrics and the worker's span for a chunk, from the run time the worker measured.</summary>
    private static void RecordRun(WorkerProcess worker, ProcessChunk chunk, long elapsedTicks)
    {
        if (PoolTelemetry.TaskDuration.Enabled)
        {
            PoolTelemetry.TaskDuration.Record(TimeSpan.FromTicks(elapsedTicks).TotalSeconds / Math.Max(1, chunk.Count));
        }

        if (chunk.Job.Activity is { } parent)
        {
            // The worker has no exporter of its own; its span is recorded here, under the call's span,
            // from the run time it reported (ending when the result arrived).
            var end = DateTimeOffset.UtcNow;
            using var span = PoolTelemetry.Source.StartActivity("Multiprocessing.RunChunk", System.Diagnostics.ActivityKind.Consumer, parent.Context, startTime: end - TimeSpan.FromTicks(elapsedTicks));
            if (span is not null)
            {
                span.SetTag("multiprocessing.worker.index", worker.Index);
                span.SetTag("multiprocessing.worker.pid", worker.ProcessId);
                span.SetTag("multiprocessing.chunk.start", chunk.Start);
                span.SetTag("multiprocessing.chunk.items", chunk.Count);
                span.SetEndTime(end.UtcDateTime);
            }
        }
    }

    private void AfterBatch(WorkerProcess worker)
    {
        List<WorkerProcess> stop = [];
        lock (_gate)
        {
            AssertInvariants();
            if (_closed || worker.State == WorkerState.Retiring)
            {
                stop = TakeIdleWorkersToStop();
            }
        }

        foreach (var w in stop)
        {
            TrySendShutdown(w);
        }

        Dispatch(fromSubmitter: false);
    }

    /// <summary>Under the lock: workers that should now be told to exit (retired, or closed pool with nothing left).</summary>
    private List<WorkerProcess> TakeIdleWorkersToStop()
    {
        List<WorkerProcess> stop = [];
        foreach (var w in _workers)
        {
            bool retiredAndIdle = w.State == WorkerState.Retiring && w.InFlight.Count == 0;
            bool closedAndIdle = _closed && _pending.Count == 0 && w.InFlight.Count == 0 && w.State is WorkerState.Ready or WorkerState.Retiring;
            if (retiredAndIdle || closedAndIdle)
            {
                w.State = WorkerState.Stopping;
                w.RecordExit(WorkerExit.Shutdown);
                stop.Add(w);
            }
        }

        return stop;
    }

    private static void TrySendShutdown(WorkerProcess worker)
    {
        try
        {
            worker.SendShutdown();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            worker.CloseSocket();
        }
    }
}
