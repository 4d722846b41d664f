using Multiprocessing.Workers;
using Multiprocessing.Worker;

namespace Multiprocessing;

/// <summary>
/// A pool of worker processes: Python's <c>multiprocessing.Pool</c>. A crash, a stack overflow or a
/// native fault in a task kills one worker, not the application; a runaway task can be killed; every
/// worker has its own GC heap and its own copy of any non-thread-safe native library.
/// </summary>
/// <example>
/// <code>
/// using var pool = new Pool(4);
/// IReadOnlyList&lt;int&gt; squares = pool.Map(static (int x) =&gt; x * x, Enumerable.Range(0, 100));
/// </code>
/// </example>
public sealed class Pool : PoolBase
{
    /// <summary>Creates a pool with one worker process per processor.</summary>
    /// <exception cref="InvalidOperationException">Worker processes cannot be started here; the message says why.</exception>
    public Pool()
        : this(new PoolOptions())
    {
    }

    /// <summary>Creates a pool with <paramref name="processes"/> worker processes.</summary>
    /// <param name="processes">The number of workers, at least 1.</param>
    /// <exception cref="ArgumentException"><paramref name="processes"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">Worker processes cannot be started here; the message says why.</exception>
    public Pool(int processes)
        : this(new PoolOptions { Processes = processes })
    {
    }

    /// <summary>Creates a pool from options.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidOperationException">Worker processes cannot be started here; the message says why.</exception>
    public Pool(PoolOptions options)
        : base(options, static o => new ProcessExecutor(o))
    {
    }

    /// <summary>
    /// Runs a chunk that arrived serialized (a cluster silo's path): <paramref name="payload"/> is what a worker reads for
    /// a chunk of <paramref name="count"/> tasks of <paramref name="descriptor"/>, and the result is the worker's Result
    /// frame body, unread. Cancelling drops the chunk if it has not started, and stops it as a cancelled call would.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pool is closed or terminated.</exception>
    internal Task<SerializedResult> RunSerializedAsync(Functions.FunctionDescriptor descriptor, byte[] payload, int count, CancellationToken cancellationToken)
    {
        var executor = (ProcessExecutor)Executor;
        var job = new SerializedJob();
        var chunk = executor.CreateSerializedChunk(descriptor, payload, count, job);
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                job.Abandon();
                executor.Cancel(job);
            });
            job.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        Submit([chunk]);
        return job.Task;
    }

    /// <summary>
    /// A pool dropped without <see cref="PoolBase.Dispose"/> terminates its workers when it is collected, with a
    /// warning, as Python's does (ResourceWarning); its machinery holds it only weakly, and a pending result holds it.
    /// </summary>
    ~Pool() => Dispatch.UndisposedPool.Finalized(this, nameof(Pool));

    /// <summary>
    /// Overrides <see cref="PoolOptions.TaskTimeout"/> for the calls made in a <c>using</c> scope:
    /// <c>using (Pool.WithTaskTimeout(TimeSpan.FromSeconds(5))) { pool.Map(…); }</c>. A task running longer
    /// is killed with its worker and fails with <see cref="TaskTimeoutException"/>.
    /// </summary>
    /// <param name="timeout">The limit for each task issued in the scope.</param>
    /// <returns>The scope; dispose it to end the override.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public static TaskTimeoutScope WithTaskTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return new TaskTimeoutScope(timeout);
    }

    /// <summary>
    /// Call first thing in <c>Main</c> of an application published self-contained or single-file and used
    /// with <see cref="StartMethod.Exec"/>: in a worker it runs the worker and never returns; otherwise it
    /// returns at once. The counterpart of Python's <c>multiprocessing.freeze_support()</c>.
    /// </summary>
    public static void FreezeSupport()
    {
        if (WorkerEnvironment.IsWorker)
        {
            WorkerSession.RunAndExit();
        }
    }
}
