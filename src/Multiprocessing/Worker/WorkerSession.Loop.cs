using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using Multiprocessing.Protocol;
using Multiprocessing.Protocol.Messages;
using Multiprocessing.Serialization;

namespace Multiprocessing.Worker;

/// <summary>The main thread's frame loop and the reader thread that feeds it.</summary>
internal sealed partial class WorkerSession
{
    /// <summary>A chunk whose items ran longer than this sends its result at once instead of batching it (see <see cref="Send"/>).</summary>
    private static readonly long s_batchBelowTicks = TimeSpan.FromMilliseconds(0.2).Ticks;

    /// <summary>Runs frames in order until Shutdown.</summary>
    private int Loop(WorkerFunctions functions, InitMessage init)
    {
        long maxMemory = init.MaxMemoryPerChild;
        while (true)
        {
            if (!_queue.TryTake(out var frame))
            {
                _wire.Flush();
                frame = _queue.Take();
            }

            ChunkOutcome? ran = null;

            // A body read in place from the parent's ring is released here, before its result is sent.
            using (frame.Lease)
            {
                switch (frame.Kind)
                {
                    case FrameKind.Define:
                        functions.Define(frame.Body);
                        break;
                    case FrameKind.Chunk:
                        ran = RunChunk(frame.Body, functions, init.StampEachItem);
                        break;
                    case FrameKind.Shutdown:
                        _wire.SendNow(_output);
                        return ExitShutdown;
                    default:
                        throw new InvalidDataException($"Unexpected frame {frame.Kind} in a worker.");
                }
            }

            if (ran is { } outcome)
            {
                if (maxMemory > 0 && Environment.WorkingSet > maxMemory)
                {
                    // MaxMemoryPerChild: ask to be recycled; the parent sends no more work and a Shutdown.
                    FrameWriter.Empty(_output, FrameKind.Retire);
                    maxMemory = 0;
                }

                Send(outcome, batch: outcome.RanTicks < s_batchBelowTicks);
            }
        }
    }

    /// <summary>
    /// Runs one Chunk body (unless it was cancelled before it started) and appends its frame to the output;
    /// null when the parent revoked it (it runs on another worker, nothing is sent).
    /// </summary>
    private ChunkOutcome? RunChunk(ReadOnlyMemory<byte> body, WorkerFunctions functions, bool stampEachItem)
    {
        long chunkId = BinaryPrimitives.ReadInt64LittleEndian(body.Span);
        bool? begun = _cancellation.Begin(chunkId);
        if (begun is null)
        {
            return null;
        }

        if (begun == false)
        {
            var cancelled = RemoteError.From(new OperationCanceledException("The task was cancelled before it started."));
            ErrorFrame.Write(_output, FrameKind.ChunkFailed, chunkId, cancelled);
            return ChunkOutcome.Failed(cancelled);
        }

        bool stamp = stampEachItem || (ChunkHeader.PeekFlags(body.Span) & ChunkFlags.StampEachItem) != 0;
        _status?.Started(chunkId);
        var outcome = functions.RunChunk(body, stamp ? _stampItem : null, _output);
        _status?.Finished();
        _cancellation.End();
        return outcome;
    }

    /// <summary>Sends a chunk's frame (now, or with the next results while more work is queued).</summary>
    /// <param name="outcome">The chunk's outcome, its frame in <see cref="_output"/>.</param>
    /// <param name="batch">
    /// Whether the result may wait in the batch while more work is queued: only for a chunk that ran under
    /// <see cref="s_batchBelowTicks"/>. A longer one's result goes now: the parent sends the next chunk when it
    /// arrives, so a result held back while the queued chunk runs would leave this worker with nothing queued
    /// when that chunk ends (a round trip idle per two chunks), and one write is nothing against such a chunk.
    /// </param>
    private void Send(ChunkOutcome outcome, bool batch)
    {
        // The result's large arrays go out with it (read in place) and are dropped then, so that a task's
        // arrays are garbage as soon as it is done rather than at the next result.
        long largeBytes = outcome.LargeBytes;
        _wire.Add(_output, moreWorkQueued: batch && _queue.Count > 0, outcome.ResultBlobs);
        if (_largeGarbage.Add(largeBytes, LargeGarbage.LiveBytes))
        {
            LargeGarbage.Collect();
        }
    }

    private void StartReader(RemoteTaskPool taskPool)
        => new Thread(() => ReadLoop(taskPool)) { IsBackground = true, Name = "Multiprocessing worker reader" }.Start();

    private void ReadLoop(RemoteTaskPool taskPool)
    {
        using var answers = new PooledBufferWriter();
        try
        {
            while (_reader.TryRead(out var kind, out var body))
            {
                if (kind == FrameKind.SubmitResult)
                {
                    taskPool.Complete(body.Span);
                    continue;
                }

                if (kind == FrameKind.Cancel)
                {
                    // Handled here, not in the queue: the main thread is busy running the very task to stop.
                    _cancellation.Cancel(IdHeader.TryRead(body.Span, out long cancelled) ? cancelled : throw IdHeader.Corrupt(kind, body.Length));
                    continue;
                }

                if (kind == FrameKind.Revoke)
                {
                    // Answered here at once: the main thread is busy with the chunk the revoked one waits behind.
                    long id = IdHeader.TryRead(body.Span, out long revoke) ? revoke : throw IdHeader.Corrupt(kind, body.Length);
                    int frame = FrameWriter.Begin(answers, FrameKind.Revoked);
                    IdHeader.Write(answers, id, _cancellation.Revoke(id));
                    FrameWriter.End(answers, frame);
                    _wire.SendNow(answers);
                    continue;
                }

                // The body must outlive this loop's next read: an array of its own, or a shared-ring body kept
                // (released by the main thread once the frame has run).
                if (_reader.LastBodyIsShared)
                {
                    _queue.Add(new QueuedFrame(kind, body, _reader.DetachShared()));
                }
                else
                {
                    _queue.Add(new QueuedFrame(kind, _reader.LastBodyIsOwned ? body : body.ToArray(), null));
                }

                if (kind == FrameKind.Shutdown)
                {
                    return;
                }
            }
        }
#pragma warning disable CA1031 // Any failure to read means the parent is gone or the stream is corrupt.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"Multiprocessing worker: connection to the parent failed: {ex.Message}");
        }

        // The parent is gone (it closed the socket or died): a worker must never outlive it, even when
        // its main thread is stuck in a task, so the process ends here and now, taking its ring names along.
        _bulk?.DeleteOwnFiles();
        using var self = Process.GetCurrentProcess();
        self.Kill();
    }

    /// <summary>
    /// A class, not a value tuple: a collection of a reference type runs the framework's shared, precompiled
    /// code, where one of a tuple is JIT-compiled in every worker.
    /// </summary>
    private sealed record QueuedFrame(FrameKind Kind, ReadOnlyMemory<byte> Body, IDisposable? Lease);
}
