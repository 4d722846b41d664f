using Multiprocessing.Jobs;

namespace Multiprocessing.Dispatch;

/// <summary>
/// What runs chunks: worker processes (<see cref="Workers.ProcessExecutor"/>) or threads
/// (<see cref="Threading.ThreadExecutor"/>). The public API in <see cref="PoolBase"/> is written once on
/// top of this.
/// </summary>
internal abstract class Executor
{
    public abstract int Processes { get; }

    /// <summary>Changes how many workers the pool keeps (validated by the caller).</summary>
    public abstract void Resize(int processes);

    // Weak: the executor is rooted by its threads and timers, and a pool dropped without Dispose must still be
    // collectable, so that its finalizer can stop the workers. Work in flight keeps it alive through its job.
    private WeakReference<PoolBase>? _owner;

    /// <summary>The pool this executor serves (set once the pool is built; null once it is collected).</summary>
    public PoolBase? Owner
    {
        get => _owner is { } weak && weak.TryGetTarget(out var pool) ? pool : null;
        set => _owner = value is null ? null : new WeakReference<PoolBase>(value);
    }

    /// <summary>Chunks waiting for a worker (for the queue-length gauge).</summary>
    public abstract long QueuedChunks { get; }

    /// <summary>Chunks a worker holds (for the in-flight gauge).</summary>
    public abstract long InFlightChunks { get; }

    /// <summary>Checks that the delegate can run here and prepares it.</summary>
    /// <exception cref="ArgumentException">It cannot.</exception>
    public abstract FunctionHandle<TArgs, TResult> Prepare<TArgs, TResult>(Delegate user, Func<TArgs, TResult> invoke, string parameterName);

    /// <summary>Makes a chunk of <paramref name="items"/>; serializes them for processes. With <paramref name="oneCall"/>
    /// the chunk is an Apply's one task, whose arguments errors name arg1…arg4 rather than iterable.</summary>
    /// <exception cref="ArgumentException">An item cannot be sent to a worker.</exception>
    public abstract Chunk CreateChunk<TArgs, TResult>(FunctionHandle<TArgs, TResult> function, TArgs[] items, Job<TResult> job, long start, bool oneCall = false);

    /// <summary>
    /// Queues chunks; each is settled exactly once (completed or failed) unless its job is abandoned first.
    /// A broken executor queues none and returns why: the caller fails them once it holds no lock.
    /// </summary>
    public abstract Exception? Enqueue(IReadOnlyList<Chunk> chunks);

    /// <summary>Ties each chunk's job to the pool, so that a pool with work queued or running is not collected.</summary>
    protected void KeepOwnerAlive(IReadOnlyList<Chunk> chunks)
    {
        var owner = Owner;
        for (int i = 0; i < chunks.Count; i++)
        {
            chunks[i].Job.Pool ??= owner;
        }
    }

    /// <summary>Starts sending queued chunks; called after <see cref="Enqueue"/>, outside the pool's lock.</summary>
    public virtual void Dispatch()
    {
    }

    /// <summary>What an automatic chunk aims to cost in a worker once the function's cost is known: small enough that
    /// chunks balance over the workers, large enough that per-chunk costs vanish (a cluster's are a network round trip).</summary>
    public virtual TimeSpan ChunkTarget => TimeSpan.FromMilliseconds(10);

    /// <summary>What one task of this function has cost in a worker, in ticks, when measured (for the automatic chunksize).</summary>
    public virtual double? MeasuredTicksPerTask(int functionId) => null;

    /// <summary>Whether <see cref="MeasuredTicksPerTask"/> learns from runs (else it never knows a cost).</summary>
    public virtual bool MeasuresTaskCost => false;

    /// <summary>The job was cancelled: stop its running chunks (queued ones are dropped as abandoned).</summary>
    public virtual void Cancel(Job job)
    {
    }

    /// <summary>No more chunks will come: finish the queued ones, then let the workers exit.</summary>
    public abstract void Close();

    /// <summary>Stops the workers at once; fails every queued and running chunk with <paramref name="reason"/>.</summary>
    public abstract void Terminate(Exception reason);

    /// <summary>Waits for the workers to exit.</summary>
    public abstract bool Join(TimeSpan timeout);

    /// <summary>Completes when the workers have exited, without blocking a thread (then releases what <see cref="Join"/> would).</summary>
    public abstract Task JoinAsync();
}
