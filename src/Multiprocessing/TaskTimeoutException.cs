namespace Multiprocessing;

/// <summary>
/// A task ran longer than <see cref="PoolOptions.TaskTimeout"/>: its worker process was killed (and
/// replaced), so the work really stopped. Distinct from the <see cref="TimeoutException"/> of
/// <see cref="AsyncResult{T}.Get(TimeSpan)"/>, which only stops waiting.
/// </summary>
public sealed class TaskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What timed out, where, and after how long.</param>
    /// <param name="timeout">The limit that was exceeded.</param>
    /// <param name="workerIndex">The worker that was killed.</param>
    /// <param name="processId">Its process id.</param>
    public TaskTimeoutException(string message, TimeSpan timeout, int workerIndex, int processId)
        : base(message)
    {
        Timeout = timeout;
        WorkerIndex = workerIndex;
        ProcessId = processId;
    }

    /// <summary>The limit that was exceeded.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The index of the worker that was killed.</summary>
    public int WorkerIndex { get; }

    /// <summary>Its process id.</summary>
    public int ProcessId { get; }
}
