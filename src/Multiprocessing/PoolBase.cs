using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Multiprocessing.Dispatch;
using Multiprocessing.Jobs;

namespace Multiprocessing;

/// <summary>
/// The pool API, written once over an executor: <see cref="Pool"/> runs tasks in worker processes,
/// <see cref="ThreadedPool"/> on threads of this process. Not meant to be derived from outside this library.
/// </summary>
public abstract partial class PoolBase : IPool
{
    private const int Running = 0;
    private const int Closed = 1;
    private const int Terminated = 2;

    private static readonly TimeSpan s_disposeJoinTimeout = TimeSpan.FromSeconds(30);

    private readonly Executor _executor;
    private readonly CallbackQueue _callbacks;
    private readonly ConcurrentDictionary<object, Action<Exception>> _streams = new();
    private readonly object _lifecycle = new();
    private int _state;
    private int _disposed;
    private int _activeFeeders;
    private int _executorClosed;

    /// <summary>The executor behind this pool (for tests and diagnostics).</summary>
    internal Executor Executor => _executor;

    private protected PoolBase(PoolOptions options, Func<PoolOptions, Executor> createExecutor)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _callbacks = new CallbackQueue(this, static (pool, exception, isError) => ((PoolBase)pool).OnCallbackFailed(exception, isError), options.Logger);
        _executor = createExecutor(options);
        _executor.Owner = this;
        Diagnostics.PoolTelemetry.Register(this);
    }

    /// <inheritdoc />
    public event EventHandler<CallbackFailedEventArgs>? CallbackFailed;

    /// <inheritdoc />
    public int Processes => _executor.Processes;

    /// <inheritdoc />
    public void Resize(int processes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(processes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(processes, PoolDefaults.MaxProcesses);
        lock (_lifecycle)
        {
            ThrowIfNotRunning();
        }

        // After the lock: resizing starts workers and logs. A Close that slips in between is harmless (a worker
        // started on a closed pool is told to exit once ready), and so is a Terminate (the executor kills it); two
        // Resize calls at once each start only while the pool is below the latest target.
        _executor.Resize(processes);
    }

    /// <summary>The options this pool was created with.</summary>
    public PoolOptions Options { get; }

    /// <inheritdoc />
    public void Close()
    {
        ThrowIfDisposed();
        lock (_lifecycle)
        {
            if (_state == Running)
            {
                _state = Closed;
            }
        }

        CloseExecutorWhenFed();
        WatchCompletion();
    }

    /// <inheritdoc />
    public void Terminate()
    {
        ThrowIfDisposed();
        TerminateCore();
    }

    /// <inheritdoc />
    public void Join()
    {
        // A join that never returns is what Python's users meet when a worker hangs; ours waits for the
        // workers, which the executor always ends (it kills them on Terminate).
        Join(Timeout.InfiniteTimeSpan);
    }

    /// <inheritdoc />
    public bool Join(TimeSpan timeout)
    {
        // Ported Python code joins after its with block: a disposed pool has already been joined.
        if (Volatile.Read(ref _disposed) != 0)
        {
            return true;
        }

        return JoinCore(timeout);
    }

    /// <summary>Terminates the pool and waits for the workers to exit, as Python's <c>with</c> block does.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        TerminateCore();
        JoinCore(s_disposeJoinTimeout);
        _callbacks.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Terminates the pool and waits for the workers to exit without blocking a thread.</summary>
    /// <returns>A task that completes when the pool is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        TerminateCore();
        try
        {
            // Dispose's bound: a callback that never returns must not hold the caller's shutdown forever.
            await Completion.WaitAsync(s_disposeJoinTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // As Dispose after its bounded Join: the workers were killed; what is still running is left behind.
        }

        _callbacks.Dispose();
        GC.SuppressFinalize(this);
    }

    internal CallbackQueue Callbacks => _callbacks;

    /// <summary>Neither closed nor terminated (for the finalizer's warning).</summary>
    internal bool IsRunning => Volatile.Read(ref _state) == Running;

    internal long QueuedChunks => _executor.QueuedChunks;

    internal long InFlightChunks => _executor.InFlightChunks;

    /// <summary>
    /// Starts the call's span when someone listens, without making it the caller's current activity (the
    /// call outlives this method; the span ends when the job does).
    /// </summary>
    private void Trace(Job job, string operation, Delegate func, long? items)
    {
        if (!Diagnostics.PoolTelemetry.Source.HasListeners())
        {
            return;
        }

        var previous = System.Diagnostics.Activity.Current;
        var activity = Diagnostics.PoolTelemetry.Source.StartActivity("Multiprocessing." + operation, System.Diagnostics.ActivityKind.Producer);
        System.Diagnostics.Activity.Current = previous;
        if (activity is not null)
        {
            activity.SetTag("multiprocessing.pool", GetType().Name);
            activity.SetTag("multiprocessing.function", Functions.FunctionDescriptor.Display(func.Method));
            if (items is { } n)
            {
                activity.SetTag("multiprocessing.items", n);
            }

            job.Activity = activity;
        }
    }

    private bool JoinCore(TimeSpan timeout)
    {
        lock (_lifecycle)
        {
            if (_state == Running)
            {
                throw new InvalidOperationException("The pool is still running; call Close() or Terminate() before Join() (Python raises ValueError here).");
            }
        }

        StopUnreadStreams();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan Remaining() => timeout == Timeout.InfiniteTimeSpan ? timeout : TimeSpan.FromTicks(Math.Max(0, (timeout - clock.Elapsed).Ticks));
        return _executor.Join(Remaining()) && _callbacks.Drain(Remaining());
    }

    /// <summary>Joining: an Imap whose results nobody reads stops reading its input (see <see cref="IFedStream"/>).</summary>
    private void StopUnreadStreams()
    {
        foreach (var stream in _streams.Keys)
        {
            ((IFedStream)stream).StopReadingWhenBehind();
        }
    }

    private void TerminateCore()
    {
        lock (_lifecycle)
        {
            if (_state == Terminated)
            {
                return;
            }

            _state = Terminated;
        }

        var reason = new PoolTerminatedException("The pool was terminated before this task completed.");
        _executor.Terminate(reason);
        foreach (var fail in _streams.Values)
        {
            fail(reason);
        }

        WatchCompletion();
    }

    private void CloseExecutorWhenFed()
    {
        if (Volatile.Read(ref _state) != Running && Volatile.Read(ref _activeFeeders) == 0 && Interlocked.Exchange(ref _executorClosed, 1) == 0)
        {
            _executor.Close();
        }
    }

    /// <summary>A progress sink threw: reported as a callback is (it is user code on a pool thread too).</summary>
    private void OnProgressFailed(Exception exception) => OnCallbackFailed(exception, isErrorCallback: false);

    private void OnCallbackFailed(Exception exception, bool isErrorCallback)
    {
        Diagnostics.PoolLog.CallbackFailed(Options.EffectiveLogger, exception, isErrorCallback ? "error callback" : "callback");
        var handler = CallbackFailed;
        if (handler is null && Options.Logger is null)
        {
            Console.Error.WriteLine($"Multiprocessing: a{(isErrorCallback ? "n error" : string.Empty)} callback threw {exception.GetType().Name}: {exception.Message} (handle Pool.CallbackFailed to observe these).");
            return;
        }

        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, new CallbackFailedEventArgs(exception, isErrorCallback));
        }
#pragma warning disable CA1031 // The observer of failures must not become one.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (Options.Logger is { } logger)
            {
                Diagnostics.PoolLog.CallbackFailed(logger, ex, "CallbackFailed handler");
            }
            else
            {
                Console.Error.WriteLine($"Multiprocessing: the CallbackFailed handler threw {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Checks the pool accepts work and queues the chunks, atomically with Close and Terminate.</summary>
    private protected void Submit(IReadOnlyList<Chunk> chunks, bool fromFeeder = false)
    {
        Exception? broken;
        lock (_lifecycle)
        {
            ThrowIfDisposed();
            if (_state == Terminated && fromFeeder)
            {
                throw new PoolTerminatedException("The pool was terminated before this task was issued.");
            }

            if (_state == Terminated || (_state == Closed && !fromFeeder))
            {
                throw new InvalidOperationException(_state == Closed
                    ? "The pool is closed and accepts no new tasks (Python raises ValueError: Pool not running)."
                    : "The pool was terminated and accepts no new tasks.");
            }

            broken = _executor.Enqueue(chunks);
        }

        // A broken pool's chunks fail here, after the lock: failing completes results and runs progress sinks.
        if (broken is not null)
        {
            foreach (var chunk in chunks)
            {
                chunk.Fail(broken);
            }

            return;
        }

        if (Diagnostics.PoolTelemetry.TasksSubmitted.Enabled)
        {
            long items = 0;
            foreach (var c in chunks)
            {
                items += c.Count;
            }

            Diagnostics.PoolTelemetry.TasksSubmitted.Add(items);
        }

        // Writing to workers happens outside the lock, so Close and Terminate never wait behind I/O.
        _executor.Dispatch();
    }

    private void ThrowIfNotRunning()
    {
        ThrowIfDisposed();
        if (Volatile.Read(ref _state) != Running)
        {
            throw new InvalidOperationException("The pool is not running (closed or terminated) and accepts no new tasks; Python raises ValueError here.");
        }
    }

    /// <summary>
    /// Ties a job to its token and to <see cref="AsyncResult{T}.Cancel"/>: the result fails with
    /// <see cref="OperationCanceledException"/> at once, chunks not started are dropped, running ones are
    /// asked to stop and killed after the grace period (see the executor).
    /// </summary>
    private void WireCancellation<TResult, TOut>(ListJob<TResult, TOut> job, AsyncResult<TOut> result, CancellationToken cancellationToken)
    {
        job.CancelThrough(_executor, cancellationToken);
        if (cancellationToken.CanBeCanceled)
        {
            job.Registration = cancellationToken.UnsafeRegister(static state => ((Func<bool>)state!)(), (Func<bool>)result.Cancel);
        }
    }

    private static bool IsAsyncTaskFunction(Delegate d)
    {
        Type r = d.Method.ReturnType;
        return r.IsGenericType && (r.GetGenericTypeDefinition() == typeof(Task<>) || r.GetGenericTypeDefinition() == typeof(ValueTask<>));
    }

    private static void ValidateChunksize(int? chunksize)
    {
        if (chunksize is { } c && c < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(chunksize), c, "chunksize must be at least 1 (or null to choose automatically).");
        }
    }

    /// <summary>The most items an automatic chunk holds: big enough that per-chunk costs vanish for the
    /// cheapest tasks (1 MB of ints travels out of band), small enough that chunks pipeline (docs/benchmarks.md).</summary>
    private const int MaxAutoChunk = 262_144;

    /// <summary>The most items an automatic chunk holds when its arguments or results are objects: a worker holds
    /// a chunk's results until it sends them, and past this many they outlive the young generation (and the
    /// array of them lands on the large-object heap), so both processes copy them through the collector.</summary>
    internal const int MaxAutoChunkOfObjects = 8_192;

    /// <summary>
    /// The automatic chunksize: never more than Python's rule, ceil(n / (4 × processes)), nor
    /// <see cref="MaxAutoChunk"/> (<see cref="MaxAutoChunkOfObjects"/> for objects); and when earlier calls measured what one task of this function costs,
    /// about the executor's <see cref="Executor.ChunkTarget"/> of work per chunk (10 ms locally), so that expensive tasks balance over the workers to the end.
    /// </summary>
    internal int AutoChunksize<TArgs, TResult>(int count, FunctionHandle<TArgs, TResult> function) => AutoChunksize(count, function, out _);

    /// <param name="count">How many items.</param>
    /// <param name="function">The function they go to.</param>
    /// <param name="measured">Whether the function's cost per task is known (then a Map's chunks stay even).</param>
    internal int AutoChunksize<TArgs, TResult>(int count, FunctionHandle<TArgs, TResult> function, out bool measured)
    {
        double? perTask = _executor.MeasuredTicksPerTask(function.Id);
        measured = perTask > 0;
        int parts = Processes * 4;
        int python = Math.Max(1, (count + parts - 1) / parts);
        int size = Math.Min(python, RuntimeHelpers.IsReferenceOrContainsReferences<TArgs>() || RuntimeHelpers.IsReferenceOrContainsReferences<TResult>() ? MaxAutoChunkOfObjects : MaxAutoChunk);
        if (IsAsyncTaskFunction(function.User))
        {
            // Async tasks run concurrently within a chunk: give each chunk enough of them.
            size = Math.Max(size, Math.Min(count, Options.MaxConcurrencyPerWorker));
            return Math.Max(1, size);
        }

        if (measured)
        {
            size = (int)Math.Clamp(_executor.ChunkTarget.Ticks / perTask!.Value, 1, size);
        }

        return size;
    }
}
