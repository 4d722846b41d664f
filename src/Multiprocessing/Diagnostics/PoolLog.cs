using Microsoft.Extensions.Logging;

namespace Multiprocessing.Diagnostics;

/// <summary>The pool's log events, with structured fields (source-generated, so free when disabled).</summary>
internal static partial class PoolLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Worker {WorkerIndex} started (pid {ProcessId})")]
    public static partial void WorkerStarted(ILogger logger, int workerIndex, int processId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Worker {WorkerIndex} (pid {ProcessId}) exited: {Reason}, exit code {ExitCode}")]
    public static partial void WorkerExited(ILogger logger, int workerIndex, int processId, string reason, int? exitCode);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Worker {WorkerIndex} (pid {ProcessId}) crashed (exit code {ExitCode}, signal {Signal}) while running {Function}; {Requeued} other chunk(s) re-queued, worker replaced")]
    public static partial void WorkerCrashed(ILogger logger, int workerIndex, int processId, int? exitCode, int? signal, string function, int requeued);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Worker {WorkerIndex} (pid {ProcessId}) is being recycled: {Reason}")]
    public static partial void WorkerRecycled(ILogger logger, int workerIndex, int processId, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "A task of {Function} ran past the task timeout of {Timeout}; worker {WorkerIndex} (pid {ProcessId}) killed")]
    public static partial void TaskTimedOut(ILogger logger, string function, TimeSpan timeout, int workerIndex, int processId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "A {Kind} threw; the pool carries on")]
    public static partial void CallbackFailed(ILogger logger, Exception exception, string kind);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "The pool is broken")]
    public static partial void PoolBroken(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Worker {WorkerIndex} (pid {ProcessId}) killed: a cancelled task ignored its token for {GracePeriod}")]
    public static partial void CancelledTaskKilled(ILogger logger, int workerIndex, int processId, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "A {Pool} with {Processes} worker(s) was garbage-collected without Dispose(); its workers are terminated. Dispose pools (using var pool = ...) to stop them when you choose")]
    public static partial void PoolNotDisposed(ILogger logger, string pool, int processes);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Worker {WorkerIndex} did not start within {StartTimeout}; killed")]
    public static partial void WorkerStartTimedOut(ILogger logger, int workerIndex, TimeSpan startTimeout);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "{Worker}; the end of its standard error:\n{StandardError}")]
    public static partial void WorkerCrashReport(ILogger logger, string worker, string standardError);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Handling the loss of {Worker} failed")]
    public static partial void LossHandlingFailed(ILogger logger, Exception exception, string worker);
}
