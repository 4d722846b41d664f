using System.Collections.Concurrent;
using System.Net.Sockets;
using MessagePack;
using Multiprocessing.Diagnostics;
using Multiprocessing.Dispatch;
using Multiprocessing.Functions;
using Multiprocessing.Protocol;
using Multiprocessing.Serialization;
using Multiprocessing.Jobs;

namespace Multiprocessing.Workers;

/// <summary>
/// Runs chunks in worker processes. One lock (<see cref="_gate"/>) guards the pending queue and every
/// worker's scheduling state; socket writes and job completions happen outside it. Threads: one reader
/// per worker (results in, and it dispatches more work to workers with free credit), the accept thread,
/// and whichever caller thread submits (it dispatches too). No thread hop between a result and the next
/// chunk being sent.
/// </summary>
internal sealed partial class ProcessExecutor : Executor
{
    /// <summary>Every worker may hold this many chunks whatever their cost (one running, one ready).</summary>
    private const int MinChunksInFlight = 2;

    /// <summary>The most chunks a worker may hold when they are cheap.</summary>
    private const int MaxChunksInFlight = 512;

    /// <summary>Beyond two chunks, a worker is given more only while its queued work is estimated under this.</summary>
    private static readonly long s_targetQueuedTicks = TimeSpan.FromMilliseconds(2).Ticks;

    /// <summary>A worker whose chunks are estimated at less work than this keeps them (moving one costs a round trip, ~0.1 ms).</summary>
    private static readonly long s_minStealTicks = TimeSpan.FromMilliseconds(1).Ticks;

    private static readonly TimeSpan s_exitGrace = TimeSpan.FromSeconds(2);

    [ThreadStatic]
    private static OutOfBandBlobs? t_blobs;

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
    private readonly FunctionTable _functions;
    private readonly ConcurrentDictionary<string, int> _serializedFunctions = new();
    private readonly ManualResetEventSlim _allExited = new(false);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time;
    private readonly Dictionary<int, TaskCost> _costs = [];
    private int _target;
    private ITimer? _watchdog;
    private long _nextChunkId;
    private int _nextWorkerIndex;
    private bool _closed;
    private bool _terminated;
    private Exception? _broken;
    private int _startFailuresInRow;
    private int _starting;
    private int _deferredStarts;
    private bool _everReady;

    public ProcessExecutor(PoolOptions options)
    {
        // First, on a thread of its own: the telemetry's static setup (meters, instruments: a few milliseconds, mostly
        // compiling their generic code), on the core this thread leaves idle while it launches the first worker; then,
        // a second later and at the lowest priority, the sweep of dead owners' litter.
        LitterSweep = OwnedNames.SweepDeadOwnersInBackground(PoolTelemetry.EnsureInitialized);
        _options = options;
        _time = options.TimeProvider;
        _target = options.EffectiveProcesses;
        _serializer = options.Serializer ?? new MessagePackPoolSerializer();
        _functions = new FunctionTable(_serializer);
        Type serializerType = _serializer.GetType();
        if (serializerType.GetConstructor(Type.EmptyTypes) is null || serializerType.AssemblyQualifiedName is null)
        {
            throw new ArgumentException($"The serializer {serializerType} needs a public parameterless constructor: every worker creates its own.", nameof(options));
        }

        _initBody = InitBody(options, _serializer, serializerType.AssemblyQualifiedName);
        _launcher = WorkerLauncher.Create(options.StartMethod);
        _listener = new WorkerListener(OnConnected);
        if (options.TaskTimeout is { } limit)
        {
            var period = TimeSpan.FromTicks(Math.Clamp(limit.Ticks / 10, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromMilliseconds(250).Ticks));
            _watchdog = _time.CreateTimer(_ => KillOverdueWorkers(), null, period, period);
        }

        try
        {
            for (int i = 0; i < Processes; i++)
            {
                StartWorker(throwIfCannot: true);
            }

            // Accepting starts once the workers are launched: wrapping the socket (milliseconds of CPU) does not compete with
            // their start, and their connections wait in the socket's backlog meanwhile.
            _listener.Start();
        }
        catch
        {
            Terminate(new PoolTerminatedException("The pool could not start."));
            _watchdog?.Dispose();
            _listener.Dispose();
            throw;
        }
    }

    public override int Processes => Volatile.Read(ref _target);

    /// <summary>The Init message every worker is sent: the serializer to create, the initializer and its arguments, the limits.</summary>
    /// <exception cref="ArgumentException">The initializer cannot run in a worker, or its arguments cannot be sent.</exception>
    private static byte[] InitBody(PoolOptions options, IPoolSerializer serializer, string serializerType)
    {
        FunctionDescriptor? initializer = options.Initializer is { } init ? FunctionDescriptor.Create(init, nameof(options)) : null;
        byte[]? initArgs = null;
        if (initializer is not null)
        {
            var buffer = new ArrayBufferWriterBytes();
            try
            {
                serializer.Serialize(buffer, options.InitArgs);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new ArgumentException($"PoolOptions.InitArgs cannot be sent to the workers: {ex.GetBaseException().Message}", nameof(options), ex);
            }

            initArgs = buffer.ToArray();
        }

        var body = new ArrayBufferWriterBytes();
        new InitMessage { SerializerType = serializerType, Initializer = initializer, InitArgs = initArgs, MaxMemoryPerChild = options.MaxMemoryPerChild ?? 0, StampEachItem = options.TaskTimeout is not null, MaxConcurrencyPerWorker = options.MaxConcurrencyPerWorker }.Write(body);
        return body.ToArray();
    }

    /// <summary>The sweep of dead owners' litter this pool started, a moment after its workers were launched (for tests).</summary>
    internal Task LitterSweep { get; }

    /// <summary>
    /// Grows at once; shrinks by retiring the surplus (idle ones first): a retired worker takes no more
    /// chunks and exits when its current ones are done, so nothing is lost or run twice.
    /// </summary>
    public override void Resize(int processes)
    {
        List<WorkerProcess> idle = [];
        List<WorkerProcess> starting = [];
        int start = 0;
        lock (_gate)
        {
            AssertInvariants();
            _target = processes;
            var live = _workers.Where(w => w.State is WorkerState.Ready or WorkerState.Starting).ToList();
            if (live.Count < processes)
            {
                start = processes - live.Count;
            }
            else
            {
                // Starting workers hold no work: they go first, then idle ones, then the least loaded.
                foreach (var w in live.OrderBy(w => w.State == WorkerState.Starting ? 0 : 1).ThenBy(w => w.InFlight.Count).Take(live.Count - processes))
                {
                    if (w.State == WorkerState.Starting)
                    {
                        w.State = WorkerState.Stopping;
                        w.RecordExit(WorkerExit.Unneeded);
                        starting.Add(w);
                        continue;
                    }

                    w.State = WorkerState.Retiring;
                    w.RecordExit(WorkerExit.Shrunk);
                }

                idle = TakeIdleWorkersToStop();
            }
        }

        foreach (var w in starting)
        {
            w.Kill(); // expected: its loss is not replaced
        }

        foreach (var w in idle)
        {
            TrySendShutdown(w);
        }

        for (int i = 0; i < start; i++)
        {
            StartWorker(throwIfCannot: false, whileBelowTarget: true);
        }

        Dispatch(fromSubmitter: false);
    }

    /// <summary>Under the lock: workers that count toward <see cref="Processes"/> (not retiring, stopping or dead).</summary>
    private int LiveWorkers() => _workers.Count(w => w.State is WorkerState.Ready or WorkerState.Starting);

    public override long QueuedChunks
    {
        get
        {
            lock (_gate)
            {
                AssertInvariants();
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
                AssertInvariants();
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
        => PrepareDirect(user, invoke, parameterName);

    public override Chunk CreateChunk<TArgs, TResult>(FunctionHandle<TArgs, TResult> function, TArgs[] items, Job<TResult> job, long start, bool oneCall = false)
        => CreateChunkDirect(function, items, job, start, oneCall);

    /// <summary>
    /// <see cref="Prepare"/> as a plain method: a generic virtual call cannot use the precompiled instantiations
    /// (<see cref="PoolBase"/>'s ReadyToRun roots), a direct one can, so the pool calls this one.
    /// </summary>
    internal FunctionHandle<TArgs, TResult> PrepareDirect<TArgs, TResult>(Delegate user, Func<TArgs, TResult> invoke, string parameterName)
        => _functions.Prepare(user, invoke, parameterName);

    /// <summary><see cref="CreateChunk"/> as a plain method, for the same reason as <see cref="PrepareDirect"/>.</summary>
    internal Chunk CreateChunkDirect<TArgs, TResult>(FunctionHandle<TArgs, TResult> function, TArgs[] items, Job<TResult> job, long start, bool oneCall = false)
    {
        // One reusable buffer per submitting thread: a small task costs one exact-size copy, not a new
        // growable buffer and its growth.
        var buffer = t_serializeBuffer ??= new PooledBufferWriter();
        buffer.Clear();

        // A blocking call's large arrays are read in place when the chunk is sent (the caller cannot change
        // them while it waits); any other call's are copied now, since the caller may reuse them at once.
        OutOfBandBlobs? blobs = PoolBase.CallerWaits ? t_blobs ??= new OutOfBandBlobs() : null;
        blobs?.Clear();
        try
        {
            using (blobs is null ? default : OutOfBandBlobs.Collect(blobs))
            {
                _serializer.Serialize(buffer, items);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw ArgumentErrors.Unserializable(_serializer, function.User, function.Descriptor!.DisplayName, items, oneCall, ex);
        }

        // A large payload keeps the buffer it was written into rather than being copied out of it.
        ArraySegment<byte> payload = buffer.WrittenCount >= BulkSender.Threshold ? buffer.Detach() : buffer.WrittenSpan.ToArray();
        buffer.Clear();
        // A collector that took arrays goes with the chunk; an unused one stays for this thread's next chunk.
        if (blobs?.Count > 0)
        {
            t_blobs = null;
        }
        else
        {
            blobs = null;
        }

        return new ProcessChunk<TResult>(job, start, items.Length, function.Id, function.Descriptor!, payload) { Blobs = blobs };
    }

    /// <summary>
    /// A chunk whose arguments arrived serialized (a cluster's silo): the function is named by its descriptor, given an
    /// id once per distinct function like <see cref="Prepare"/> does for delegates.
    /// </summary>
    public SerializedChunk CreateSerializedChunk(FunctionDescriptor descriptor, byte[] payload, int count, SerializedJob job)
    {
        string key = string.Join('\n', descriptor.DelegateType, descriptor.DeclaringType, descriptor.MethodToken, string.Join('\t', descriptor.MethodGenericArguments), descriptor.NeedsClosureInstance, descriptor.ModuleVersionId);
        int id = _serializedFunctions.GetOrAdd(key, _ => _functions.NextId());
        return new SerializedChunk(job, count, id, descriptor, payload);
    }

    public override void Close()
    {
        List<WorkerProcess> idle;
        bool allExited;
        lock (_gate)
        {
            AssertInvariants();
            _closed = true;
            idle = TakeIdleWorkersToStop();
            allExited = SignalIfAllExited();
        }

        if (allExited)
        {
            OnAllExited();
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
        bool allExited;
        lock (_gate)
        {
            AssertInvariants();
            _terminated = true;
            _deferredStarts = 0;
            failed.AddRange(_pending);
            _pending.Clear();
            foreach (var w in _workers)
            {
                failed.AddRange(w.InFlight.Values);
                w.InFlight.Clear();
                w.QueuedTicks = 0;
                w.State = WorkerState.Stopping;
                w.RecordExit(WorkerExit.Terminated);
            }

            workers = [.. _workers];
            allExited = SignalIfAllExited();
        }

        if (allExited)
        {
            OnAllExited();
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

    /// <summary>The base name of every worker's shared rings so far (for tests and diagnostics).</summary>
    internal ConcurrentQueue<string> RingBases { get; } = new();

    public override bool Join(TimeSpan timeout)
    {
        bool done = _allExited.Wait(timeout);
        if (done)
        {
            ReleaseWhenExited();
        }

        return done;
    }

    public override async Task JoinAsync()
    {
        await _exited.Task.ConfigureAwait(false);
        ReleaseWhenExited();
    }

    /// <summary>After the lock that saw the last worker go: completes <see cref="JoinAsync"/>'s wait.</summary>
    private void OnAllExited() => _exited.TrySetResult();

    private void ReleaseWhenExited()
    {
        _watchdog?.Dispose();
        _listener.Dispose();
    }

    /// <summary>
    /// Checked on entry to (and after the changes of) every section under <see cref="_gate"/>, in Debug builds,
    /// as BoundedChannel does: each worker's queued-work estimate is the sum of its chunks', only Ready and
    /// Retiring workers hold chunks, and the start slots add up.
    /// </summary>
    [System.Diagnostics.Conditional("DEBUG")]
    private void AssertInvariants()
    {
        System.Diagnostics.Debug.Assert(Monitor.IsEntered(_gate), "AssertInvariants runs under the lock.");
        int holdingSlots = 0;
        foreach (var w in _workers)
        {
            long ticks = 0;
            foreach (var (id, chunk) in w.InFlight)
            {
                System.Diagnostics.Debug.Assert(chunk.Id == id, $"{w} holds chunk {chunk.Id} under id {id}.");
                ticks += chunk.EstimatedTicks;
            }

            System.Diagnostics.Debug.Assert(w.QueuedTicks == ticks, $"{w}: queued work {w.QueuedTicks} is not the sum of its chunks' {ticks}.");
            System.Diagnostics.Debug.Assert(w.InFlight.Count == 0 || w.State is WorkerState.Ready or WorkerState.Retiring, $"{w} is {w.State} and holds {w.InFlight.Count} chunk(s).");
            System.Diagnostics.Debug.Assert(w.State != WorkerState.Dead, $"{w} is dead but still listed.");
            holdingSlots += w.HoldsStartSlot ? 1 : 0;
        }

        // A launch takes its slot before its worker is listed, so the count may run ahead of the list.
        System.Diagnostics.Debug.Assert(_starting >= holdingSlots && _deferredStarts >= 0, $"{_starting} start slot(s) taken, {holdingSlots} held by listed workers, {_deferredStarts} deferred.");
        System.Diagnostics.Debug.Assert(_workers.Count > 0 || !_allExited.IsSet || _closed || _terminated, "All exited before the pool was closed.");
    }
}
