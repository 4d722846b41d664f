using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using MessagePack;
using Multiprocessing.Diagnostics;
using Multiprocessing.Dispatch;
using Multiprocessing.Functions;
using Multiprocessing.Protocol;
using Multiprocessing.Serialization;

namespace Multiprocessing.Workers;

/// <summary>
/// Runs chunks in worker processes. One lock (<see cref="_gate"/>) guards the pending queue and every
/// worker's scheduling state; socket writes and job completions happen outside it. Threads: one reader
/// per worker (results in, and it dispatches more work to workers with free credit), the accept thread,
/// and whichever caller thread submits (it dispatches too). No thread hop between a result and the next
/// chunk being sent.
/// </summary>
internal sealed class ProcessExecutor : Executor
{
    /// <summary>Every worker may hold this many chunks whatever their cost (one running, one ready).</summary>
    private const int MinChunksInFlight = 2;

    /// <summary>The most chunks a worker may hold when they are cheap.</summary>
    private const int MaxChunksInFlight = 512;

    /// <summary>Beyond two chunks, a worker is given more only while its queued work is estimated under this.</summary>
    private static readonly long s_targetQueuedTicks = TimeSpan.FromMilliseconds(2).Ticks;

    private static readonly TimeSpan s_exitGrace = TimeSpan.FromSeconds(2);

    [ThreadStatic]
    private static PooledBufferWriter? t_serializeBuffer;

    private readonly object _gate = new();
    private readonly PoolOptions _options;
    private readonly IPoolSerializer _serializer;
    private readonly WorkerLauncher _launcher;
    private readonly WorkerListener _listener;
    private readonly byte[] _initBody;
    private readonly Queue<ProcessChunk> _pending = new();
    private readonly List<WorkerProcess> _workers = [];
    private readonly ConcurrentDictionary<(System.Reflection.MethodInfo, Type, Type?), (int Id, FunctionDescriptor Descriptor)> _functions = new();
    private readonly ManualResetEventSlim _allExited = new(false);
    private readonly Dictionary<int, double> _ticksPerItem = [];
    private Timer? _watchdog;
    private int _nextFunctionId;
    private long _nextChunkId;
    private int _nextWorkerIndex;
    private bool _closed;
    private bool _terminated;
    private Exception? _broken;
    private int _startFailuresInRow;
    private bool _everReady;

    public ProcessExecutor(PoolOptions options)
    {
        _options = options;
        Processes = options.EffectiveProcesses;
        _serializer = options.Serializer ?? new MessagePackPoolSerializer();
        Type serializerType = _serializer.GetType();
        if (serializerType.GetConstructor(Type.EmptyTypes) is null || serializerType.AssemblyQualifiedName is null)
        {
            throw new ArgumentException($"The serializer {serializerType} needs a public parameterless constructor: every worker creates its own.", nameof(options));
        }

        FunctionDescriptor? initializer = options.Initializer is { } init ? FunctionDescriptor.Create(init, nameof(options)) : null;
        byte[]? initArgs = null;
        if (initializer is not null)
        {
            var buffer = new ArrayBufferWriterBytes();
            try
            {
                _serializer.Serialize(buffer, options.InitArgs);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new ArgumentException($"PoolOptions.InitArgs cannot be sent to the workers: {ex.GetBaseException().Message}", nameof(options), ex);
            }

            initArgs = buffer.ToArray();
        }

        var initBody = new ArrayBufferWriterBytes();
        new InitMessage { SerializerType = serializerType.AssemblyQualifiedName, Initializer = initializer, InitArgs = initArgs, MaxMemoryPerChild = options.MaxMemoryPerChild ?? 0, StampEachItem = options.TaskTimeout is not null, MaxConcurrencyPerWorker = options.MaxConcurrencyPerWorker }.Write(initBody);
        _initBody = initBody.ToArray();

        if (options.TaskTimeout is { } limit)
        {
            var period = TimeSpan.FromTicks(Math.Clamp(limit.Ticks / 10, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromMilliseconds(250).Ticks));
            _watchdog = new Timer(_ => KillOverdueWorkers(), null, period, period);
        }

        _launcher = WorkerLauncher.Create(options.StartMethod);
        _listener = new WorkerListener(OnConnected);
        try
        {
            for (int i = 0; i < Processes; i++)
            {
                StartWorker(throwIfCannot: true);
            }
        }
        catch
        {
            Terminate(new PoolTerminatedException("The pool could not start."));
            _listener.Dispose();
            throw;
        }
    }

    public override int Processes { get; }

    public override long QueuedChunks
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public override long InFlightChunks
    {
        get
        {
            lock (_gate)
            {
                long n = 0;
                foreach (var w in _workers)
                {
                    n += w.InFlight.Count;
                }

                return n;
            }
        }
    }

    private Microsoft.Extensions.Logging.ILogger Logger => _options.EffectiveLogger;

    public override FunctionHandle<TArgs, TResult> Prepare<TArgs, TResult>(Delegate user, Func<TArgs, TResult> invoke, string parameterName)
    {
        var key = (user.Method, user.GetType(), user.Target?.GetType());
        if (!_functions.TryGetValue(key, out var entry))
        {
            var descriptor = FunctionDescriptor.Create(user, parameterName);
            foreach (var t in new[] { typeof(TArgs), typeof(TResult) })
            {
                try
                {
                    _serializer.EnsureSupported(t);
                }
                catch (NotSupportedException ex)
                {
                    throw new ArgumentException($"{descriptor.DisplayName}: {ex.Message} Arguments and results must be serializable to cross to a worker process.", parameterName, ex);
                }
            }

            entry = _functions.GetOrAdd(key, _ => (Interlocked.Increment(ref _nextFunctionId), descriptor));
        }

        return new FunctionHandle<TArgs, TResult>(user, invoke, entry.Descriptor, entry.Id);
    }

    public override Chunk CreateChunk<TArgs, TResult>(FunctionHandle<TArgs, TResult> function, TArgs[] items, Job<TResult> job, long start)
    {
        // One reusable buffer per submitting thread: a small task costs one exact-size copy, not a new
        // growable buffer and its growth.
        var buffer = t_serializeBuffer ??= new PooledBufferWriter();
        buffer.Clear();
        try
        {
            _serializer.Serialize(buffer, items);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ArgumentException(
                $"An argument of {function.Descriptor!.DisplayName} ({typeof(TArgs)}) cannot be serialized to send to a worker process: {ex.GetBaseException().Message}. " +
                "Pass plain data (primitives, strings, arrays, collections, records, classes with public members) or use ThreadedPool.",
                "iterable",
                ex);
        }

        byte[] payload = buffer.WrittenSpan.ToArray();
        buffer.Clear();
        return new ProcessChunk<TResult>(job, start, items.Length, function.Id, function.Descriptor!, payload);
    }

    public override void Enqueue(IReadOnlyList<Chunk> chunks)
    {
        if (_watchdog is null && chunks.Count > 0 && ((ProcessChunk)chunks[0]).TimeoutOverride is not null)
        {
            // A per-call timeout on a pool without one: the watchdog starts now, checking every 50 ms.
            var period = TimeSpan.FromMilliseconds(50);
            var timer = new Timer(_ => KillOverdueWorkers(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (Interlocked.CompareExchange(ref _watchdog, timer, null) is null)
            {
                timer.Change(period, period);
            }
            else
            {
                timer.Dispose();
            }
        }

        Exception? broken;
        lock (_gate)
        {
            broken = _broken;
            if (broken is null)
            {
                for (int i = 0; i < chunks.Count; i++)
                {
                    _pending.Enqueue((ProcessChunk)chunks[i]);
                }

                return;
            }
        }

        foreach (var chunk in chunks)
        {
            chunk.Fail(broken);
        }
    }

    public override void Dispatch() => Dispatch(fromSubmitter: true);

    /// <summary>
    /// Moves queued chunks to workers with credit and writes them. A submitting thread only serves workers
    /// holding fewer than <see cref="MinChunksInFlight"/> chunks (an idle worker starts at once); deeper
    /// credit is filled by the reader threads when results arrive, many chunks per write, instead of one
    /// write per call from the submitter (profiled: a third of ApplyAsync's time was those writes).
    /// </summary>
    private void Dispatch(bool fromSubmitter)
    {
        List<(WorkerProcess Worker, List<ProcessChunk> Chunks)>? batches = null;
        List<WorkerProcess>? retired = null;
        lock (_gate)
        {
            if (_terminated || _broken is not null || _pending.Count == 0)
            {
                return;
            }

            // One chunk at a time to the least-loaded worker that has credit, so that work spreads over
            // idle workers first (tasks that must run together land on different workers), while each
            // worker's chunks still leave in one write.
            while (_pending.Count > 0)
            {
                WorkerProcess? target = null;
                foreach (var w in _workers)
                {
                    if (CanAccept(w) && (!fromSubmitter || w.InFlight.Count < MinChunksInFlight) && (target is null || w.InFlight.Count < target.InFlight.Count
                        || (w.InFlight.Count == target.InFlight.Count && w.QueuedTicks < target.QueuedTicks)))
                    {
                        target = w;
                    }
                }

                if (target is null)
                {
                    break;
                }

                var chunk = _pending.Dequeue();
                if (chunk.Job.IsAbandoned)
                {
                    continue;
                }

                chunk.Id = ++_nextChunkId;
                target.InFlight.Add(chunk.Id, chunk);
                chunk.EstimatedTicks = EstimateTicks(chunk);
                target.QueuedTicks += chunk.EstimatedTicks;
                batches ??= [];
                int slot = 0;
                while (slot < batches.Count && batches[slot].Worker != target)
                {
                    slot++;
                }

                if (slot == batches.Count)
                {
                    batches.Add((target, []));
                }

                batches[slot].Chunks.Add(chunk);
                if (_options.MaxTasksPerChild is { } max && ++target.ChunksAssigned >= max)
                {
                    // Python's maxtasksperchild: no more work for this one; a fresh worker takes its place now.
                    target.State = WorkerState.Retiring;
                    target.RecycleReason = "MaxTasksPerChild";
                    (retired ??= []).Add(target);
                }
            }
        }

        foreach (var w in retired ?? [])
        {
            PoolLog.WorkerRecycled(Logger, w.Index, w.ProcessId, "MaxTasksPerChild");
            StartWorker(throwIfCannot: false);
        }

        foreach (var (target, batch) in batches ?? [])
        {
            try
            {
                target.Send(batch);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // The worker is going; its reader sees the end and fails or re-queues what it held.
                target.CloseSocket();
            }
        }
    }

    public override double? MeasuredTicksPerTask(int functionId)
    {
        lock (_gate)
        {
            return _ticksPerItem.TryGetValue(functionId, out double perItem) ? perItem : null;
        }
    }

    public override void Cancel(Job job)
    {
        List<(WorkerProcess Worker, long Chunk)> running = [];
        lock (_gate)
        {
            foreach (var w in _workers)
            {
                foreach (var chunk in w.InFlight.Values)
                {
                    if (chunk.Job == job)
                    {
                        running.Add((w, chunk.Id));
                    }
                }
            }
        }

        foreach (var (w, id) in running)
        {
            try
            {
                w.SendCancel(id);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                w.CloseSocket();
                continue;
            }

            // Cooperative first; a task that ignores its token is stopped the only sure way.
            _ = Task.Delay(_options.CancellationGracePeriod).ContinueWith(
                _ =>
                {
                    bool kill;
                    lock (_gate)
                    {
                        kill = w.State != WorkerState.Dead && w.Status.RunningChunk == id && w.InFlight.ContainsKey(id);
                    }

                    if (kill)
                    {
                        w.KilledForCancellation = true;
                        PoolLog.CancelledTaskKilled(Logger, w.Index, w.ProcessId, _options.CancellationGracePeriod);
                        w.Kill();
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    public override void Close()
    {
        List<WorkerProcess> idle;
        lock (_gate)
        {
            _closed = true;
            idle = TakeIdleWorkersToStop();
            SignalIfAllExited();
        }

        foreach (var w in idle)
        {
            TrySendShutdown(w);
        }
    }

    public override void Terminate(Exception reason)
    {
        List<ProcessChunk> failed = [];
        List<WorkerProcess> workers;
        lock (_gate)
        {
            _terminated = true;
            failed.AddRange(_pending);
            _pending.Clear();
            foreach (var w in _workers)
            {
                failed.AddRange(w.InFlight.Values);
                w.InFlight.Clear();
                w.QueuedTicks = 0;
                w.State = WorkerState.Stopping;
            }

            workers = [.. _workers];
            SignalIfAllExited();
        }

        foreach (var chunk in failed)
        {
            chunk.Fail(reason);
        }

        foreach (var w in workers)
        {
            w.Kill();
        }
    }

    public override bool Join(TimeSpan timeout)
    {
        bool done = _allExited.Wait(timeout);
        if (done)
        {
            _watchdog?.Dispose();
            _listener.Dispose();
        }

        return done;
    }

    /// <summary>
    /// The task timeout: a worker whose current task started too long ago is killed. Reading the status
    /// slot costs nothing in the worker, and killing the process is the only way to stop a task that
    /// never yields (a tight loop, native code).
    /// </summary>
    private void KillOverdueWorkers()
    {
        List<WorkerProcess> overdue = [];
        lock (_gate)
        {
            foreach (var w in _workers)
            {
                if (w.State is WorkerState.Ready or WorkerState.Retiring && w.InFlight.Count > 0 && w.TimedOutChunk == 0)
                {
                    long running = w.Status.RunningChunk;
                    if (running != 0 && w.InFlight.TryGetValue(running, out var chunk) && (chunk.TimeoutOverride ?? _options.TaskTimeout) is { } limit
                        && Environment.TickCount64 - w.Status.StartedAt > (long)limit.TotalMilliseconds)
                    {
                        w.TimedOutChunk = running;
                        overdue.Add(w);
                        PoolLog.TaskTimedOut(Logger, chunk.Descriptor.DisplayName, limit, w.Index, w.ProcessId);
                    }
                }
            }
        }

        foreach (var w in overdue)
        {
            w.Kill();
        }
    }

    private static bool CanAccept(WorkerProcess w) => w.State == WorkerState.Ready && w.AwaitingSubtasks == 0
        && (w.InFlight.Count < MinChunksInFlight
            || (w.InFlight.Count < MaxChunksInFlight && w.QueuedTicks < s_targetQueuedTicks));

    /// <summary>
    /// Under the lock: the expected run time of a chunk from what its function cost before. A function
    /// not yet measured counts as the whole budget, so a worker holds only two of its chunks until the
    /// first result says how cheap they are. Estimates are per function, so a cheap map before an
    /// expensive one does not flood one worker with the expensive one's chunks.
    /// </summary>
    private long EstimateTicks(ProcessChunk chunk)
        => _ticksPerItem.TryGetValue(chunk.FunctionId, out double perItem) ? (long)Math.Min(s_targetQueuedTicks, perItem * chunk.Count) : s_targetQueuedTicks;

    private void StartWorker(bool throwIfCannot)
    {
        lock (_gate)
        {
            if (_terminated)
            {
                return;
            }
        }

        int index = Interlocked.Increment(ref _nextWorkerIndex) - 1;
        string statusPath = Path.Combine(_listener.Directory, "w" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = new Process { StartInfo = _launcher.StartInfo(_listener.SocketPath, index, WorkerListener.NewToken(), statusPath), EnableRaisingEvents = true };
        WorkerStatusSlot status;
        try
        {
            status = WorkerStatusSlot.Create(statusPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The pool's directory is gone: the pool was shut down while this replacement was decided.
            process.Dispose();
            if (throwIfCannot)
            {
                throw new InvalidOperationException($"Cannot start a worker: {ex.Message}", ex);
            }

            return;
        }

        var worker = new WorkerProcess(index, process, process.StartInfo.Environment[WorkerEnvironment.Token]!, status);
        lock (_gate)
        {
            if (_terminated)
            {
                worker.Dispose();
                return;
            }

            _workers.Add(worker);
        }

        _listener.Expect(worker);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Out.WriteLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                worker.NoteStandardError(e.Data);
                Console.Error.WriteLine(e.Data);
            }
        };
        process.Exited += (_, _) => OnProcessExited(worker);
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            var error = new InvalidOperationException($"Cannot start a worker process ({_launcher.Description}): {ex.Message}", ex);
            if (throwIfCannot)
            {
                lock (_gate)
                {
                    _workers.Remove(worker);
                }

                throw error;
            }

            Lost(worker, error);
            return;
        }

        worker.ProcessId = process.Id;
        bool terminatedMeanwhile;
        lock (_gate)
        {
            terminatedMeanwhile = _terminated;
        }

        if (terminatedMeanwhile)
        {
            // Terminate ran between our check and the start, and could not kill a process not yet started.
            worker.Kill();
        }

        PoolTelemetry.WorkerStarts.Add(1);
        PoolLog.WorkerStarted(Logger, index, process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.AutoFlush = true;

        // A worker that never connects (or never finishes its initializer) is killed: it cannot hang the pool.
        _ = Task.Delay(_options.WorkerStartTimeout).ContinueWith(
            _ =>
            {
                bool stuck;
                lock (_gate)
                {
                    stuck = worker.State == WorkerState.Starting;
                }

                if (stuck)
                {
                    Console.Error.WriteLine($"Multiprocessing: {worker} did not start within {_options.WorkerStartTimeout}; killing it.");
                    worker.Kill();
                    Lost(worker, null);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void OnConnected(WorkerProcess worker, Socket socket, FrameReader reader)
    {
        worker.Attach(socket, reader);
        try
        {
            worker.SendInit(_initBody);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            worker.CloseSocket();
        }

        new Thread(() => ReadLoop(worker)) { IsBackground = true, Name = $"Multiprocessing reader {worker.Index}" }.Start();
    }

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
                    case FrameKind.ChunkFailed:
                        OnChunkFailed(worker, BinaryPrimitives.ReadInt64LittleEndian(body.Span), ReadError(body[8..]));
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

        try
        {
            Lost(worker, failure);
        }
#pragma warning disable CA1031 // The reader thread must never take the application down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"Multiprocessing: handling the loss of {worker} failed: {ex}");
        }
    }

    private static Exception ReadError(ReadOnlyMemory<byte> body)
    {
        var reader = new MessagePackReader(body);
        return RemoteError.Read(ref reader).ToException();
    }

    private void OnReady(WorkerProcess worker)
    {
        lock (_gate)
        {
            if (worker.State == WorkerState.Starting)
            {
                worker.State = WorkerState.Ready;
            }

            _everReady = true;
            _startFailuresInRow = 0;
        }
    }

    /// <summary>
    /// A task in <paramref name="worker"/> issues follow-up tasks (<see cref="ITaskPool"/>): run them on this
    /// pool and send the results back. The requesting worker gets no other work until they are done, and
    /// if every worker is waiting, one more is started, so follow-ups always have somewhere to run.
    /// </summary>
    private void OnSubmit(WorkerProcess worker, ReadOnlyMemory<byte> body)
    {
        long requestId = BinaryPrimitives.ReadInt64LittleEndian(body.Span);
        try
        {
            int chunksize = BinaryPrimitives.ReadInt32LittleEndian(body.Span[8..]);
            int descriptorLength = BinaryPrimitives.ReadInt32LittleEndian(body.Span[12..]);
            var reader = new MessagePackReader(body.Slice(16, descriptorLength));
            var descriptor = FunctionDescriptor.Read(ref reader);
            byte[] items = body[(16 + descriptorLength)..].ToArray();
            Delegate d = descriptor.Resolve();
            var (invoker, args, result) = Invokers.CreateDynamic(d);
            bool grow;
            lock (_gate)
            {
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

            typeof(ProcessExecutor).GetMethod(nameof(RunSubmitted), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(args, result)
                .Invoke(this, [worker, requestId, d, invoker, items, chunksize]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Exception cause = ex is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : ex;
            ReplySubmit(worker, requestId, cause);
        }
    }

    private void RunSubmitted<TArgs, TResult>(WorkerProcess worker, long requestId, Delegate d, Delegate invoker, byte[] payload, int chunksize)
    {
        TArgs[] items = _serializer.Deserialize<TArgs[]>(payload);
        var function = Prepare(d, (Func<TArgs, TResult>)invoker, "func");
        var result = new AsyncResult<IReadOnlyList<TResult>>(null, null, null);
        var job = new ListJob<TResult, IReadOnlyList<TResult>>(items.Length, result, static r => r);
        int size = chunksize > 0 ? chunksize : Math.Max(1, (items.Length + (Processes * 4) - 1) / (Processes * 4));
        var chunks = new List<Chunk>();
        for (int start = 0; start < items.Length; start += size)
        {
            chunks.Add(CreateChunk(function, items[start..Math.Min(items.Length, start + size)], job, start));
        }

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

    private void OnRetire(WorkerProcess worker)
    {
        bool replace;
        lock (_gate)
        {
            replace = worker.State == WorkerState.Ready && !_terminated && _broken is null && (!_closed || _pending.Count > 0);
            if (worker.State == WorkerState.Ready)
            {
                worker.State = WorkerState.Retiring;
                worker.RecycleReason = "MaxMemoryPerChild";
            }
        }

        PoolLog.WorkerRecycled(Logger, worker.Index, worker.ProcessId, "MaxMemoryPerChild");
        if (replace)
        {
            StartWorker(throwIfCannot: false);
        }
    }

    private void OnInitializerFailed(WorkerProcess worker, Exception error)
    {
        bool breakNow;
        lock (_gate)
        {
            worker.InitializerFailed = true;
            worker.State = WorkerState.Stopping;
            _startFailuresInRow++;

            // Python respawns forever here (the guide's "Exception Handling in Worker Initialization").
            breakNow = !_everReady || _startFailuresInRow >= _options.MaxInitializerFailures;
        }

        if (breakNow)
        {
            Break(new BrokenPoolException($"The pool is broken: the initializer threw {error.GetType().Name} in {worker}: {error.Message}", error));
        }
    }

    private void OnResult(WorkerProcess worker, ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        long id = BinaryPrimitives.ReadInt64LittleEndian(span);
        long elapsed = BinaryPrimitives.ReadInt64LittleEndian(span[8..]);
        int failureCount = BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
        int resultLength = BinaryPrimitives.ReadInt32LittleEndian(span[20..]);
        if (resultLength < 0 || 24 + resultLength > body.Length)
        {
            throw new InvalidDataException($"Corrupt stream: a result of {resultLength} bytes in a frame of {body.Length}.");
        }

        ProcessChunk? chunk = Settle(worker, id, elapsed);
        chunk?.Deliver(_serializer, body.Slice(24, resultLength), failureCount, body[(24 + resultLength)..]);
    }

    private void OnChunkFailed(WorkerProcess worker, long id, Exception error) => Settle(worker, id, -1)?.Fail(error);

    private ProcessChunk? Settle(WorkerProcess worker, long id, long elapsedTicks)
    {
        lock (_gate)
        {
            if (!worker.InFlight.Remove(id, out var chunk))
            {
                return null;
            }

            worker.QueuedTicks -= chunk.EstimatedTicks;
            if (elapsedTicks >= 0)
            {
                RecordRun(worker, chunk, elapsedTicks);
                double perItem = (double)elapsedTicks / Math.Max(1, chunk.Count);
                _ticksPerItem[chunk.FunctionId] = _ticksPerItem.TryGetValue(chunk.FunctionId, out double old) ? (old + perItem) / 2 : perItem;
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

    private void OnProcessExited(WorkerProcess worker)
    {
        // The socket normally tells first. If it does not (a descriptor leaked to a grandchild keeps it
        // open), the process handle does: close our end so the reader ends and the loss is handled.
        _ = Task.Delay(s_exitGrace).ContinueWith(_ => worker.CloseSocket(), TaskScheduler.Default);
        if (worker.Socket is null)
        {
            Lost(worker, null);
        }
    }

    private void Lost(WorkerProcess worker, Exception? failure)
    {
        if (!worker.MarkLost())
        {
            return;
        }

        _listener.Forget(worker);
        int? exitCode = null;
        try
        {
            using var wait = new CancellationTokenSource(s_exitGrace);
            worker.Process.WaitForExitAsync(wait.Token).Wait(s_exitGrace);
            exitCode = worker.Process.HasExited ? worker.Process.ExitCode : null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or AggregateException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Never started or cannot be waited for: the exit code stays unknown.
        }

        if (exitCode is null)
        {
            worker.Kill();
        }

        List<ProcessChunk> lost;
        string? culpritName = null;
        int requeued = 0;
        bool expected;
        bool wasStarting;
        bool replace;
        Exception? breakWith = null;
        lock (_gate)
        {
            expected = worker.State == WorkerState.Stopping;
            wasStarting = worker.State == WorkerState.Starting;
            worker.State = WorkerState.Dead;
            _workers.Remove(worker);
            lost = [.. worker.InFlight.Values.OrderBy(c => c.Id)];
            worker.InFlight.Clear();
            worker.QueuedTicks = 0;

            // Only the chunk the worker was running (its status slot says which; the oldest one if it
            // was between chunks) is to blame. The others either never started or finished with their
            // results still unsent: they go back to the front of the queue for another worker.
            if (lost.Count > 0 && !_terminated && _broken is null)
            {
                long running = worker.Status.RunningChunk;
                ProcessChunk culprit = lost.Find(c => c.Id == running) ?? lost[0];
                culpritName = culprit.Descriptor.DisplayName;
                requeued = lost.Count - 1;
                bool retry = worker.TimedOutChunk != culprit.Id && !culprit.Job.IsAbandoned && culprit.AttemptCount < _options.MaxRetries;
                if (retry)
                {
                    culprit.Attempts.Add(Describe(worker, exitCode, failure));
                }

                var requeue = new Queue<ProcessChunk>(lost.Where(c => (retry || c != culprit) && !c.Job.IsAbandoned).Concat(_pending));
                _pending.Clear();
                foreach (var c in requeue)
                {
                    _pending.Enqueue(c);
                }

                lost = retry ? [] : [culprit];
            }

            if (wasStarting && !worker.InitializerFailed && !_terminated)
            {
                // A worker that dies before it is ready counts toward breaking the pool: a pool whose workers
                // cannot start must not respawn them forever. Unlike an initializer that throws, one death is
                // not proof (it may have been killed from outside), so it takes MaxInitializerFailures in a row.
                _startFailuresInRow++;
                if (_startFailuresInRow >= _options.MaxInitializerFailures)
                {
                    breakWith = new BrokenPoolException($"The pool is broken: {Describe(worker, exitCode, failure)} before it was ready.", failure);
                }
            }

            replace = !_terminated && _broken is null && breakWith is null && (!expected || worker.InitializerFailed)
                && (!_closed || _pending.Count > 0 || lost.Count > 0);
            if (worker.InitializerFailed && _broken is null && breakWith is null && !_terminated)
            {
                replace = true;
            }

            SignalIfAllExited();
        }

        string reason = _terminated ? "terminate"
            : worker.TimedOutChunk != 0 ? "timeout"
            : worker.KilledForCancellation ? "cancel"
            : expected && worker.RecycleReason is not null ? "recycle"
            : expected ? "shutdown"
            : "crash";
        PoolTelemetry.WorkerExited(reason);
        PoolLog.WorkerExited(Logger, worker.Index, worker.ProcessId, reason, exitCode);
        if (reason == "crash" && culpritName is not null)
        {
            PoolLog.WorkerCrashed(Logger, worker.Index, worker.ProcessId, exitCode, exitCode > 128 ? exitCode - 128 : null, culpritName, requeued);
        }

        if (breakWith is not null)
        {
            Break(breakWith);
        }

        foreach (var chunk in lost)
        {
            chunk.Fail(LostChunkError(worker, chunk, exitCode, failure));
        }

        if (replace)
        {
            StartWorker(throwIfCannot: false);
        }

        Dispatch(fromSubmitter: false);
        worker.Dispose();
    }

    private Exception LostChunkError(WorkerProcess worker, ProcessChunk chunk, int? exitCode, Exception? failure)
    {
        string what = $"{chunk.Descriptor.DisplayName} (items {chunk.Start}..{chunk.Start + chunk.Count - 1} of its call)";
        if (worker.TimedOutChunk == chunk.Id && (chunk.TimeoutOverride ?? _options.TaskTimeout) is { } timeout)
        {
            return new TaskTimeoutException(
                $"A task of {what} ran longer than the task timeout of {timeout}; worker {worker.Index} (pid {worker.ProcessId}) was killed to stop it and replaced.",
                timeout,
                worker.Index,
                worker.ProcessId);
        }

        int? signal = exitCode > 128 && !OperatingSystem.IsWindows() ? exitCode - 128 : null;
        string[] tail = worker.StandardErrorTail();
        string attempts = chunk.AttemptCount == 0 ? string.Empty
            : Environment.NewLine + $"It was tried {chunk.Attempts.Count + 1} times (MaxRetries = {_options.MaxRetries}); earlier attempts: " + string.Join("; ", chunk.Attempts) + ".";
        string message = $"{Describe(worker, exitCode, failure)} while running {what}. The worker was replaced; other tasks are unaffected." + attempts +
            (tail.Length > 0 ? Environment.NewLine + "Last lines on its standard error:" + Environment.NewLine + string.Join(Environment.NewLine, tail) : string.Empty);
        return new WorkerCrashedException(message, worker.Index, worker.ProcessId, exitCode, signal, tail);
    }

    private static string Describe(WorkerProcess worker, int? exitCode, Exception? failure)
    {
        string how = exitCode switch
        {
            null => "died (exit code unknown)",
            > 128 when !OperatingSystem.IsWindows() => $"was killed by signal {exitCode - 128} (exit code {exitCode})",
            _ => $"exited with code {exitCode}",
        };
        return $"Worker {worker.Index} (pid {worker.ProcessId}) {how}" + (failure is InvalidDataException ? $" after a corrupt message ({failure.Message})" : string.Empty);
    }

    private void Break(Exception error)
    {
        List<ProcessChunk> failed;
        lock (_gate)
        {
            if (_broken is not null)
            {
                return;
            }

            _broken = error;
            PoolLog.PoolBroken(Logger, error);
            failed = [.. _pending];
            _pending.Clear();
        }

        foreach (var chunk in failed)
        {
            chunk.Fail(error);
        }
    }

    private void SignalIfAllExited()
    {
        if (_workers.Count == 0 && (_closed || _terminated))
        {
            _allExited.Set();
        }
    }
}
