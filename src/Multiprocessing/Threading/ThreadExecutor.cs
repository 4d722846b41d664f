using System.Collections.Concurrent;
using Multiprocessing.Dispatch;
using Multiprocessing.Jobs;
using Multiprocessing.Worker;

namespace Multiprocessing.Threading;

/// <summary>
/// Runs chunks on dedicated threads of this process: Python's ThreadPool. Any delegate is accepted and
/// nothing is serialized. Threads cannot be killed in .NET, so Terminate fails every pending result at
/// once and abandons the threads (background threads that finish their current task and exit).
/// </summary>
internal sealed class ThreadExecutor : Executor
{
    private readonly PoolOptions _options;
    private readonly BlockingCollection<ThreadChunk> _queue = [];
    private readonly ConcurrentDictionary<int, ThreadChunk> _running = new();
    private readonly ManualResetEventSlim _allExited = new(false);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _live;
    private int _nextIndex;
    private int _initializerFailures;
    private volatile Exception? _broken;
    private volatile bool _terminated;
    private readonly object _resizeGate = new();
    private int _target;

    // Threads still to leave after a shrink; each claims one before it takes its next chunk.
    private int _surplus;

    // Cancelled (and replaced) by a shrink, to wake the threads waiting for a chunk so that they claim the surplus.
    private CancellationTokenSource _wake = new();

    public ThreadExecutor(PoolOptions options)
    {
        _options = options;
        _target = options.EffectiveProcesses;
        for (int i = 0; i < _target; i++)
        {
            StartThread();
        }
    }

    public override int Processes => Volatile.Read(ref _target);

    public override void Resize(int processes)
    {
        CancellationTokenSource? wake = null;
        int start = 0;
        lock (_resizeGate)
        {
            int delta = processes - _target;
            _target = processes;
            if (delta > 0)
            {
                // Threads that were to leave stay instead; the rest are new.
                int kept;
                int surplus;
                do
                {
                    surplus = Volatile.Read(ref _surplus);
                    kept = Math.Min(surplus, delta);
                }
                while (Interlocked.CompareExchange(ref _surplus, surplus - kept, surplus) != surplus);
                start = delta - kept;
            }
            else if (delta < 0)
            {
                Interlocked.Add(ref _surplus, -delta);
                wake = _wake;
                Volatile.Write(ref _wake, new CancellationTokenSource());
            }
        }

        wake?.Cancel();
        for (int i = 0; i < start; i++)
        {
            StartThread();
        }
    }

    private bool TryClaimSurplus()
    {
        int surplus;
        do
        {
            surplus = Volatile.Read(ref _surplus);
            if (surplus <= 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _surplus, surplus - 1, surplus) != surplus);
        return true;
    }

    public override long QueuedChunks => _queue.Count;

    public override long InFlightChunks => _running.Count;

    public override FunctionHandle<TArgs, TResult> Prepare<TArgs, TResult>(Delegate user, Func<TArgs, TResult> invoke, string parameterName)
        => new(user, invoke, null, 0);

    public override Chunk CreateChunk<TArgs, TResult>(FunctionHandle<TArgs, TResult> function, TArgs[] items, Job<TResult> job, long start, bool oneCall = false)
        => new ThreadChunk<TArgs, TResult>(function.Invoke, items, job, start);

    public override Exception? Enqueue(IReadOnlyList<Chunk> chunks)
    {
        if (_broken is { } broken)
        {
            return broken;
        }

        KeepOwnerAlive(chunks);
        foreach (ThreadChunk chunk in chunks)
        {
            _queue.Add(chunk);
        }

        return null;
    }

    public override void Close() => _queue.CompleteAdding();

    public override void Terminate(Exception reason)
    {
        _terminated = true;
        _queue.CompleteAdding();
        while (_queue.TryTake(out var chunk))
        {
            chunk.Fail(reason);
        }

        foreach (var chunk in _running.Values)
        {
            chunk.Fail(reason);
        }
    }

    public override bool Join(TimeSpan timeout) => _terminated || _allExited.Wait(timeout);

    public override Task JoinAsync() => _terminated ? Task.CompletedTask : _exited.Task;

    private void StartThread()
    {
        int index = Interlocked.Increment(ref _nextIndex) - 1;
        Interlocked.Increment(ref _live);
        Diagnostics.PoolTelemetry.WorkerStarts.Add(1);
        var thread = new Thread(() => Work(index)) { IsBackground = true, Name = $"ThreadPoolWorker-{index}" };
        thread.Start();
    }

    private void Work(int index)
    {
        try
        {
            WorkerInfo.SetForThread(new WorkerInfo(index, Environment.ProcessId, isProcess: false, new LocalTaskPool(() => Owner)));
            if (!RunInitializer())
            {
                return;
            }

            int tasks = 0;
            while (TryRunNext(index, out bool ran))
            {
                if (ran && _options.MaxTasksPerChild is { } max && ++tasks >= max)
                {
                    Diagnostics.PoolTelemetry.WorkerExited("recycle");
                    StartThread();
                    return;
                }
            }
        }
        finally
        {
            WorkerInfo.SetForThread(null);

            // A replacement is counted before its predecessor leaves, so zero means every worker is gone.
            if (Interlocked.Decrement(ref _live) == 0)
            {
                _allExited.Set();
                _exited.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Takes one chunk and runs it (<paramref name="ran"/>) or skips it (the pool was terminated, its call
    /// abandoned); false once the queue is completed. A method of its own, so that nothing of
    /// the chunk (its arguments, its job and the results) stays on this thread's stack while it waits for the
    /// next: Python's test_release_task_refs.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private bool TryRunNext(int index, out bool ran)
    {
        ran = false;

        // The surplus is raised before the wake-up token is replaced: a thread that reads the new token sees it.
        var wake = Volatile.Read(ref _wake).Token;
        if (TryClaimSurplus())
        {
            Diagnostics.PoolTelemetry.WorkerExited("resize");
            return false;
        }

        ThreadChunk? chunk;
        try
        {
            chunk = _queue.Take(wake);
        }
        catch (OperationCanceledException)
        {
            return true; // a shrink woke this thread: see whether it is one to leave
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        if (_terminated)
        {
            chunk.Fail(new PoolTerminatedException("The pool was terminated before this task started."));
            return true;
        }

        if (chunk.Job.IsAbandoned)
        {
            return true;
        }

        _running[index] = chunk;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        chunk.Run();
        if (Diagnostics.PoolTelemetry.TaskDuration.Enabled)
        {
            Diagnostics.PoolTelemetry.TaskDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds / Math.Max(1, chunk.Count));
        }

        _running.TryRemove(index, out _);
        ran = true;
        return true;
    }

    private bool RunInitializer()
    {
        if (_options.Initializer is not { } initializer)
        {
            return true;
        }

        try
        {
            initializer.DynamicInvoke(_options.InitArgs);
            Interlocked.Exchange(ref _initializerFailures, 0);
            return true;
        }
        catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is not null)
        {
            Break(ex.InnerException);
            return false;
        }
#pragma warning disable CA1031 // The initializer's failure breaks the pool; it must not kill the thread silently.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Break(ex);
            return false;
        }
    }

    private void Break(Exception initializerError)
    {
        // Python respawns forever here; one failing initializer breaks the pool instead, so that every
        // pending and later task fails at once with the cause attached.
        var broken = new BrokenPoolException($"The pool is broken: the initializer threw {initializerError.GetType().Name}: {initializerError.Message}", initializerError);
        Interlocked.Increment(ref _initializerFailures);
        _broken ??= broken;
        while (_queue.TryTake(out var chunk))
        {
            chunk.Fail(broken);
        }
    }

    private abstract class ThreadChunk(Job job, long start, int count) : Chunk(job, start, count)
    {
        public abstract void Run();
    }

    private sealed class ThreadChunk<TArgs, TResult>(Func<TArgs, TResult> invoke, TArgs[] items, Job<TResult> job, long start)
        : ThreadChunk(job, start, items.Length)
    {
        public override void Run()
        {
            TResult[] results = ChunkRunner.Run(invoke, items, out var failures);
            job.CompleteChunk(Start, results, failures);
        }
    }
}
