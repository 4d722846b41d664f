using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using MessagePack;
using Multiprocessing.Functions;
using Multiprocessing.Protocol;
using Multiprocessing.Protocol.Messages;
using Multiprocessing.Serialization;


using Multiprocessing.Workers;

namespace Multiprocessing.Worker;

/// <summary>
/// The worker side. Two threads: a reader that drains the socket into a queue (so the parent can always
/// write, and so that the parent's death is seen even while a task runs), and the main thread, which runs
/// frames in order and writes results, batching them while more work is already queued.
/// </summary>
internal static class WorkerHost
{
    private static Action? s_beforeEachItem;

    /// <summary>PoolOptions.MaxConcurrencyPerWorker: how many of a chunk's async tasks may be awaited at once.</summary>
    private static int s_concurrency = 1;

    private static RemoteTaskPool? s_taskPool;

    /// <summary>This worker's rings, for the reader thread to remove their names when the parent dies.</summary>
    private static BulkChannel? s_bulk;

    /// <summary>In a worker, the path of its ring files less the generation number (for tests).</summary>
    internal static string? OwnRingFilePrefix => s_bulk?.OwnFilePrefix;

    private static readonly object s_cancelGate = new();
    private static readonly HashSet<long> s_cancelledBeforeStart = [];
    private static readonly HashSet<long> s_revoked = [];
    private static long s_runningChunk;

    /// <summary>The highest chunk id this worker has begun: a chunk at or below it can no longer be revoked.</summary>
    private static long s_lastBegun;
    private static CancellationTokenSource? s_runningCancellation;

    public static void RunAndExit()
    {
        int code;
        try
        {
            code = Run();
        }
#pragma warning disable CA1031 // Last resort: report and exit; the parent sees the exit code and stderr.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"Multiprocessing worker failed: {ex}");
            code = 70;
        }

        Console.Out.Flush();
        Console.Error.Flush();
        Environment.Exit(code);
    }

    /// <summary>The result blobs of the chunk just run (main thread only), reused from chunk to chunk.</summary>
    private static readonly OutOfBandBlobs s_resultBlobs = new();

    /// <summary>Set by a chunk whose result frame has blobs: they go with the next <see cref="WorkerOutput.Add"/>.</summary>
    private static OutOfBandBlobs? s_pendingBlobs;

    /// <summary>Bytes the current chunk received out of band (its arguments' large arrays).</summary>
    private static long s_receivedBlobBytes;

    private static readonly LargeGarbage s_largeGarbage = new();

    private static int Run()
    {
        string socketPath = Environment.GetEnvironmentVariable(WorkerEnvironment.Socket)!;
        int index = int.Parse(Environment.GetEnvironmentVariable(WorkerEnvironment.Index) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        byte[] token = FromHex(Environment.GetEnvironmentVariable(WorkerEnvironment.Token) ?? string.Empty);

        // A process a task starts must not think it is a worker too.
        Environment.SetEnvironmentVariable(WorkerEnvironment.Socket, null);
        Environment.SetEnvironmentVariable(WorkerEnvironment.Index, null);
        Environment.SetEnvironmentVariable(WorkerEnvironment.Token, null);
        string? statusPath = Environment.GetEnvironmentVariable(WorkerEnvironment.Status);
        Environment.SetEnvironmentVariable(WorkerEnvironment.Status, null);
        using var status = statusPath is null ? null : WorkerStatusSlot.Open(statusPath);

        using var stream = UnixSocketStream.Open(socketPath);
        string? bulkBase = Environment.GetEnvironmentVariable(WorkerEnvironment.Bulk);
        Environment.SetEnvironmentVariable(WorkerEnvironment.Bulk, null);
        WorkerEnvironment.ForgetRuntimeDefaults();
        using var bulk = string.IsNullOrEmpty(bulkBase) ? null : new BulkChannel(bulkBase, isParent: false);
        s_bulk = bulk;
        var wire = new WorkerOutput(stream, bulk?.Sender);
        using var output = new PooledBufferWriter();

        int hello = FrameWriter.Begin(output, FrameKind.Hello);
        FrameWriter.Int32(output, index);
        FrameWriter.Int32(output, Environment.ProcessId);
        FrameWriter.Int32(output, token.Length);
        output.Write(token);
        FrameWriter.End(output, hello);
        wire.SendNow(output);

        using var reader = new FrameReader(stream) { Bulk = bulk?.Receiver };
        if (!reader.TryRead(out var kind, out var body) || kind != FrameKind.Init)
        {
            return 3;
        }

        var init = InitMessage.Read(body);
        s_concurrency = Math.Max(1, init.MaxConcurrencyPerWorker);
        Action? stamp = status is null ? null : status.ItemStarted;
        bool stampAll = init.StampEachItem;
        var serializer = CreateSerializer(init.SerializerType);
        s_taskPool = new RemoteTaskPool(wire.SendNow, serializer);
        WorkerInfo.SetForProcess(new WorkerInfo(index, Environment.ProcessId, isProcess: true, s_taskPool));
        if (init.Initializer is { } initializer)
        {
            try
            {
                Delegate d = initializer.Resolve();
                object?[] args = init.InitArgs is { } bytes ? serializer.Deserialize<object?[]>(bytes) : [];
                d.DynamicInvoke(args);
            }
#pragma warning disable CA1031 // Reported to the parent, which decides whether the pool is broken.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Exception cause = ex is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : ex;
                WriteError(output, FrameKind.InitFailed, null, RemoteError.From(cause));
                wire.SendNow(output);
                return 4;
            }
        }

        FrameWriter.Empty(output, FrameKind.Ready);
        wire.SendNow(output);

        var queue = new BlockingCollection<QueuedFrame>();
        var readerThread = new Thread(() => ReadLoop(reader, queue, wire)) { IsBackground = true, Name = "Multiprocessing worker reader" };
        readerThread.Start();

        long maxMemory = init.MaxMemoryPerChild;
        var functions = new Dictionary<int, Func<IPoolSerializer, ReadOnlyMemory<byte>, PooledBufferWriter, long, RemoteError?>>();
        var failedFunctions = new Dictionary<int, RemoteError>();
        while (true)
        {
            if (!queue.TryTake(out var frame))
            {
                wire.Flush();
                frame = queue.Take();
            }

            switch (frame.Kind)
            {
                case FrameKind.Define:
                    Define(frame.Body, functions, failedFunctions);
                    break;
                case FrameKind.Chunk:
                    long chunkId = BinaryPrimitives.ReadInt64LittleEndian(frame.Body.Span);
                    bool? begun = BeginChunk(chunkId);
                    if (begun is null)
                    {
                        // Revoked: the parent has it back (the reader answered) and gave it to an idle worker.
                        break;
                    }

                    if (begun == false)
                    {
                        WriteError(output, FrameKind.ChunkFailed, chunkId, RemoteError.From(new OperationCanceledException("The task was cancelled before it started.")));
                        wire.Add(output, moreWorkQueued: queue.Count > 0);
                        break;
                    }

                    s_beforeEachItem = stampAll || (ChunkHeader.PeekFlags(frame.Body.Span) & ChunkFlags.StampEachItem) != 0 ? stamp : null;
                    status?.Started(chunkId);
                    RunChunk(frame.Body, serializer, functions, failedFunctions, output);
                    frame.Lease?.Dispose();
                    status?.Finished();
                    EndChunk();
                    if (maxMemory > 0 && Environment.WorkingSet > maxMemory)
                    {
                        // MaxMemoryPerChild: ask to be recycled; the parent sends no more work and a Shutdown.
                        FrameWriter.Empty(output, FrameKind.Retire);
                        maxMemory = 0;
                    }

                    // The result's large arrays went out with it (read in place): drop them, so that a task's
                    // arrays are garbage as soon as it is done rather than at the next result.
                    var sentBlobs = s_pendingBlobs;
                    long largeBytes = s_receivedBlobBytes + (sentBlobs?.Length ?? 0);
                    wire.Add(output, moreWorkQueued: queue.Count > 0, sentBlobs);
                    s_pendingBlobs = null;
                    sentBlobs?.Clear();
                    s_receivedBlobBytes = 0;
                    if (s_largeGarbage.Add(largeBytes, LargeGarbage.LiveBytes))
                    {
                        LargeGarbage.Collect();
                    }

                    break;
                case FrameKind.Shutdown:
                    wire.SendNow(output);
                    return 0;
                default:
                    throw new InvalidDataException($"Unexpected frame {frame.Kind} in a worker.");
            }

            frame.Lease?.Dispose();
        }
    }

    /// <summary>By hand: Convert.FromHexString's vectorized code is JIT-compiled in every fresh worker (~1 ms).</summary>
    private static byte[] FromHex(string hex)
    {
        var bytes = new byte[hex.Length / 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((Nibble(hex[2 * i]) << 4) | Nibble(hex[(2 * i) + 1]));
        }

        return bytes;

        // A character that is not hex gives a wrong token, which the parent refuses.
        static int Nibble(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }

    private static IPoolSerializer CreateSerializer(string typeName)
    {
        // The default by hand: Type.GetType's name parser costs ~2 ms of a cold worker's start.
        return typeName == typeof(MessagePackPoolSerializer).AssemblyQualifiedName
            ? new MessagePackPoolSerializer()
            : (IPoolSerializer)Activator.CreateInstance(Type.GetType(typeName, throwOnError: true)!)!;
    }

    private static void ReadLoop(FrameReader reader, BlockingCollection<QueuedFrame> queue, WorkerOutput wire)
    {
        using var answers = new PooledBufferWriter();
        try
        {
            while (reader.TryRead(out var kind, out var body))
            {
                if (kind == FrameKind.SubmitResult)
                {
                    s_taskPool?.Complete(body.Span);
                    continue;
                }

                if (kind == FrameKind.Cancel)
                {
                    // Handled here, not in the queue: the main thread is busy running the very task to stop.
                    CancelChunk(BinaryPrimitives.ReadInt64LittleEndian(body.Span));
                    continue;
                }

                if (kind == FrameKind.Revoke)
                {
                    // Answered here at once: the main thread is busy with the chunk the revoked one waits behind.
                    long id = BinaryPrimitives.ReadInt64LittleEndian(body.Span);
                    int frame = FrameWriter.Begin(answers, FrameKind.Revoked);
                    FrameWriter.Int64(answers, id);
                    answers.Write([RevokeChunk(id) ? (byte)1 : (byte)0]);
                    FrameWriter.End(answers, frame);
                    wire.SendNow(answers);
                    continue;
                }

                // The body must outlive this loop's next read: an array of its own, or a shared-ring body kept
                // (released by the main thread once the chunk has run).
                if (reader.LastBodyIsShared)
                {
                    queue.Add(new QueuedFrame(kind, body, reader.DetachShared()));
                }
                else
                {
                    queue.Add(new QueuedFrame(kind, reader.LastBodyIsOwned ? body : body.ToArray(), null));
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
        s_bulk?.DeleteOwnFiles();
        using var self = Process.GetCurrentProcess();
        self.Kill();
    }

    /// <summary>
    /// Marks a chunk as running with a fresh token; false if it was cancelled before it started, null if the
    /// parent revoked it (it runs elsewhere: nothing is sent for it).
    /// </summary>
    private static bool? BeginChunk(long chunkId)
    {
        lock (s_cancelGate)
        {
            if (s_revoked.Remove(chunkId))
            {
                return null;
            }

            if (s_cancelledBeforeStart.Remove(chunkId))
            {
                return false;
            }

            s_runningChunk = chunkId;
            s_lastBegun = Math.Max(s_lastBegun, chunkId);
            s_runningCancellation = new CancellationTokenSource();
            CancellationTokenFormatter.Current = s_runningCancellation.Token;
            return true;
        }
    }

    private static void EndChunk()
    {
        lock (s_cancelGate)
        {
            s_runningChunk = 0;
            s_runningCancellation?.Dispose();
            s_runningCancellation = null;
            CancellationTokenFormatter.Current = default;
        }
    }

    /// <summary>
    /// True when the chunk has not begun, so it never will here. A chunk's id is higher than every chunk sent
    /// to this worker before it, so "not begun" is "above the highest begun"; a revoke that loses the race
    /// (the chunk began, or ran already) is ignored and the chunk's result goes to the parent as usual.
    /// </summary>
    private static bool RevokeChunk(long chunkId)
    {
        lock (s_cancelGate)
        {
            return chunkId > s_lastBegun && s_revoked.Add(chunkId);
        }
    }

    private static void CancelChunk(long chunkId)
    {
        lock (s_cancelGate)
        {
            if (s_runningChunk == chunkId)
            {
                s_runningCancellation?.Cancel();
            }
            else
            {
                s_cancelledBeforeStart.Add(chunkId);
            }
        }
    }

    private static void Define(ReadOnlyMemory<byte> body, Dictionary<int, Func<IPoolSerializer, ReadOnlyMemory<byte>, PooledBufferWriter, long, RemoteError?>> functions, Dictionary<int, RemoteError> failed)
    {
        int id = BinaryPrimitives.ReadInt32LittleEndian(body.Span);
        try
        {
            var reader = new MessagePackReader(body[4..]);
            var descriptor = FunctionDescriptor.Read(ref reader);
            Delegate original = descriptor.Resolve();
            var (invoker, args, result) = Invokers.CreateDynamic(original);
            var runner = (IRunner)Activator.CreateInstance(typeof(Runner<,>).MakeGenericType(args, result), invoker, original)!;
            functions[id] = runner.Run;
        }
#pragma warning disable CA1031 // A function the worker cannot load fails the chunks that use it, not the worker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failed[id] = RemoteError.From(new InvalidOperationException($"The worker could not load the task's method: {ex.GetBaseException().Message}", ex));
        }
    }

    private static void RunChunk(ReadOnlyMemory<byte> body, IPoolSerializer serializer, Dictionary<int, Func<IPoolSerializer, ReadOnlyMemory<byte>, PooledBufferWriter, long, RemoteError?>> functions, Dictionary<int, RemoteError> failed, PooledBufferWriter output)
    {
        if (!ChunkHeader.TryRead(body.Span, out var header, out int payloadAt))
        {
            throw new InvalidDataException($"Corrupt chunk: a frame of {body.Length} bytes whose header does not fit it.");
        }

        long chunkId = header.ChunkId;
        int functionId = header.FunctionId;
        Activity? activity = null;
        if (header.TraceParent is { } traceParent)
        {
            // The call is traced in the parent: the task runs under an activity with that parent, so its own
            // activities, logs and outgoing calls carry the same trace id (even with no exporter here).
            activity = new Activity("Multiprocessing.Task").SetParentId(traceParent).Start();
        }

        // Out-of-band blobs (large arrays of a blocking call's arguments) follow the payload.
        int blobLength = header.BlobLength ?? 0;
        if (header.BlobLength is not null)
        {
            s_receivedBlobBytes = blobLength;
        }

        RemoteError? error;
        try
        {
            error = functions.TryGetValue(functionId, out var run)
                ? RunWithBlobs(run, serializer, body[payloadAt..(body.Length - blobLength)], body[(body.Length - blobLength)..], output, chunkId)
                : failed.GetValueOrDefault(functionId) ?? RemoteError.From(new InvalidDataException($"Function {functionId} was never defined."));
        }
        finally
        {
            activity?.Stop();
        }

        if (error is not null)
        {
            WriteError(output, FrameKind.ChunkFailed, chunkId, error);
        }
    }

    private static RemoteError? RunWithBlobs(Func<IPoolSerializer, ReadOnlyMemory<byte>, PooledBufferWriter, long, RemoteError?> run, IPoolSerializer serializer, ReadOnlyMemory<byte> payload, ReadOnlyMemory<byte> blobs, PooledBufferWriter output, long chunkId)
    {
        using (OutOfBandBlobs.Read(blobs))
        {
            return run(serializer, payload, output, chunkId);
        }
    }

    private static void WriteError(PooledBufferWriter output, FrameKind kind, long? chunkId, RemoteError error)
    {
        int frame = FrameWriter.Begin(output, kind);
        if (chunkId is { } id)
        {
            FrameWriter.Int64(output, id);
        }

        var writer = new MessagePackWriter(output);
        error.Write(ref writer);
        writer.Flush();
        FrameWriter.End(output, frame);
    }

    /// <summary>
    /// A class, not a value tuple: a collection of a reference type runs the framework's shared, precompiled
    /// code, where one of a tuple is JIT-compiled in every worker (~2 ms of its start).
    /// </summary>
    private sealed record QueuedFrame(FrameKind Kind, ReadOnlyMemory<byte> Body, IDisposable? Lease);

    private interface IRunner
    {
        RemoteError? Run(IPoolSerializer serializer, ReadOnlyMemory<byte> payload, PooledBufferWriter output, long chunkId);
    }

    private sealed class Runner<TArgs, TResult>(Func<TArgs, TResult> invoke, Delegate original) : IRunner
    {
        private readonly Func<TArgs, Task<TResult>>? _async = Invokers.AsTaskFunction<TArgs, TResult>(original);

        public RemoteError? Run(IPoolSerializer serializer, ReadOnlyMemory<byte> payload, PooledBufferWriter output, long chunkId)
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
                return RemoteError.From(new InvalidDataException($"The worker could not read the arguments ({typeof(TArgs)}): {ex.Message}", ex));
            }

            TResult[] results = _async is not null && s_concurrency > 1
                ? ChunkRunner.RunConcurrently(_async, items, s_concurrency, out var failures)
                : ChunkRunner.Run(invoke, items, out failures, s_beforeEachItem);
            long elapsed = Stopwatch.GetElapsedTime(started).Ticks;

            int frame = FrameWriter.Begin(output, FrameKind.Result);
            int headerAt = output.Reserve(ResultHeader.Size);
            int before = output.WrittenCount;

            // Large arrays in the results stay where they are and are copied once, when the frame is sent.
            var blobs = s_resultBlobs;
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
                return RemoteError.From(new NotSupportedException($"The task's result of type {typeof(TResult)} could not be serialized to send back to the parent: {ex.GetBaseException().Message}", ex));
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
            if (blobs.Count > 0)
            {
                blobs.InsertAt = output.WrittenCount;
                s_pendingBlobs = blobs;
            }

            return null;
        }
    }
}
