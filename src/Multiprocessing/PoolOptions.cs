using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Multiprocessing;

/// <summary>
/// How a pool is configured: the arguments of Python's <c>Pool(processes, initializer, initargs,
/// maxtasksperchild, context)</c>. Validated once, when the pool is created; every problem is listed in
/// one <see cref="ArgumentException"/>.
/// </summary>
public sealed record PoolOptions
{
    /// <summary>The number of workers, 1 to <see cref="PoolDefaults.MaxProcesses"/>; <see langword="null"/> means <see cref="Environment.ProcessorCount"/>.</summary>
    public int? Processes { get; init; }

    /// <summary>
    /// A method run once in every worker as it starts, before its first task, with <see cref="InitArgs"/>.
    /// For <see cref="Pool"/> it must be a static method or a lambda that captures nothing.
    /// </summary>
    public Delegate? Initializer { get; init; }

    /// <summary>The arguments passed to <see cref="Initializer"/>.</summary>
    public object?[] InitArgs { get; init; } = [];

    /// <summary>A worker is replaced after this many tasks (a chunk counts as one, as in Python); null means never.</summary>
    public int? MaxTasksPerChild { get; init; }

    /// <summary>How worker processes are started; Python's context. Default <see cref="StartMethod.Spawn"/>.</summary>
    public StartMethod StartMethod { get; init; } = PoolDefaults.StartMethod;

    /// <summary>The serializer for arguments and results; null means <see cref="MessagePackPoolSerializer"/>.
    /// It must have a public parameterless constructor, because every worker creates its own.</summary>
    public IPoolSerializer? Serializer { get; init; }

    /// <summary>How long a worker may take to start, connect and run its initializer.</summary>
    public TimeSpan WorkerStartTimeout { get; init; } = PoolDefaults.WorkerStartTimeout;

    /// <summary>How many times in a row the initializer may fail before the pool is broken.</summary>
    public int MaxInitializerFailures { get; init; } = PoolDefaults.MaxInitializerFailures;

    /// <summary>
    /// How many times a task lost to a worker crash is run again on a fresh worker (default 0). Tasks that
    /// threw are never retried. A task that has killed its worker more than this many times fails with
    /// <see cref="WorkerCrashedException"/> listing every attempt: one poison task cannot take the pool down.
    /// </summary>
    public int MaxRetries { get; init; }

    /// <summary>
    /// The longest a single task may run in a worker process; a task running longer is killed with its
    /// worker (which is replaced) and fails with <see cref="TaskTimeoutException"/>. Null means no limit.
    /// Unlike <see cref="AsyncResult{T}.Get(TimeSpan)"/>, which only stops waiting, this stops the work.
    /// <see cref="ThreadedPool"/> cannot stop a thread and ignores it.
    /// </summary>
    public TimeSpan? TaskTimeout { get; init; }

    /// <summary>
    /// How long a cancelled task that is running in a worker process may take to notice its cancellation
    /// token before its worker is killed and replaced. Default 2 seconds.
    /// </summary>
    public TimeSpan CancellationGracePeriod { get; init; } = PoolDefaults.CancellationGracePeriod;

    /// <summary>
    /// A worker process whose working set exceeds this many bytes after a task is recycled: it takes no
    /// more tasks, finishes what it holds and is replaced. Reported as recycling, never as a crash. Null
    /// means no limit. <see cref="ThreadedPool"/> ignores it.
    /// </summary>
    public long? MaxMemoryPerChild { get; init; }

    /// <summary>
    /// For task functions that return <see cref="Task{TResult}"/> or <see cref="ValueTask{TResult}"/> (I/O-bound
    /// work): how many of a chunk's tasks a worker process awaits at once. Default 1. Concurrency is within a
    /// chunk, so give Map a chunksize of at least this (the automatic one is raised to it); one-task calls
    /// (Apply) run one at a time per worker. <see cref="ThreadedPool"/> awaits one task per thread.
    /// </summary>
    public int MaxConcurrencyPerWorker { get; init; } = 1;

    /// <summary>
    /// Where the pool logs worker starts and exits, crashes, recycling, timeouts and callback failures,
    /// with structured fields. Null means no logging.
    /// </summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// On Linux, frames of 1 MB or more (large arguments and results) travel through a shared-memory ring per
    /// worker in <c>/dev/shm</c> (owner-only files, removed once both sides have mapped them) instead of the socket:
    /// no socket copies and no receive buffer. Default true; false sends everything through the socket, as does a
    /// machine without <c>/dev/shm</c> or the environment variable <c>MULTIPROCESSING_NO_SHARED_MEMORY=1</c>.
    /// <see cref="ThreadedPool"/> ignores it.
    /// </summary>
    public bool SharedMemory { get; init; } = true;

    internal ILogger EffectiveLogger => Logger ?? NullLogger.Instance;

    /// <summary>
    /// The parent's clock for its timers: the task-timeout watchdog's period, start timeouts, the cancellation and
    /// exit grace periods. Internal, for tests that move the clock: the workers' own clocks (their status slot's
    /// stamps, their output flushing) cannot follow a fake one, so a public option would promise more than it does.
    /// </summary>
    internal TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal int EffectiveProcesses => Processes ?? PoolDefaults.Processes;

    internal void Validate()
    {
        var problems = new List<string>();
        if (Processes is { } p && p < 1)
        {
            problems.Add($"Processes must be at least 1 (was {p}).");
        }
        else if (Processes > PoolDefaults.MaxProcesses)
        {
            problems.Add($"Processes must be at most PoolDefaults.MaxProcesses = {PoolDefaults.MaxProcesses} (was {Processes}).");
        }

        if (MaxTasksPerChild is { } m && m < 1)
        {
            problems.Add($"MaxTasksPerChild must be at least 1 or null (was {m}).");
        }

        if (InitArgs is null)
        {
            problems.Add("InitArgs must not be null; use an empty array.");
        }
        else if (Initializer is not null)
        {
            int expected = Initializer.Method.GetParameters().Length;
            if (expected != InitArgs.Length)
            {
                problems.Add($"Initializer {Initializer.Method.Name} takes {expected} argument(s) but InitArgs has {InitArgs.Length}.");
            }
        }
        else if (InitArgs.Length > 0)
        {
            problems.Add("InitArgs were given without an Initializer.");
        }

        // Compared, not Enum.IsDefined<StartMethod>: that generic is compiled on first use in every fresh process.
        if (StartMethod is not (StartMethod.Spawn or StartMethod.Exec))
        {
            problems.Add($"StartMethod {(int)StartMethod} is not a defined value.");
        }

        if (WorkerStartTimeout <= TimeSpan.Zero)
        {
            problems.Add($"WorkerStartTimeout must be positive (was {WorkerStartTimeout}).");
        }

        if (MaxInitializerFailures < 1)
        {
            problems.Add($"MaxInitializerFailures must be at least 1 (was {MaxInitializerFailures}).");
        }

        if (CancellationGracePeriod < TimeSpan.Zero)
        {
            problems.Add($"CancellationGracePeriod must not be negative (was {CancellationGracePeriod}).");
        }

        if (MaxMemoryPerChild is { } mem && mem < 1)
        {
            problems.Add($"MaxMemoryPerChild must be positive or null (was {mem}).");
        }

        if (MaxConcurrencyPerWorker < 1)
        {
            problems.Add($"MaxConcurrencyPerWorker must be at least 1 (was {MaxConcurrencyPerWorker}).");
        }

        if (MaxRetries < 0)
        {
            problems.Add($"MaxRetries must be 0 or more (was {MaxRetries}).");
        }

        if (TaskTimeout is { } t && t <= TimeSpan.Zero)
        {
            problems.Add($"TaskTimeout must be positive or null (was {t}).");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid pool options:" + Environment.NewLine + "- " + string.Join(Environment.NewLine + "- ", problems), "options");
        }
    }
}
