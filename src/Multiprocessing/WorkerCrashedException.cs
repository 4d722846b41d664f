namespace Multiprocessing;

/// <summary>
/// The worker process running a task died before the task completed (a crash, <c>Environment.FailFast</c>,
/// a stack overflow, a native fault, <c>exit()</c> or a kill from outside). Only the tasks that worker held
/// fail; the worker is replaced and the pool carries on.
/// </summary>
public sealed class WorkerCrashedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full description.</param>
    /// <param name="workerIndex">The index of the worker that died.</param>
    /// <param name="processId">Its process id.</param>
    /// <param name="exitCode">Its exit code, when known.</param>
    /// <param name="signal">The signal that killed it, when known.</param>
    /// <param name="lastStandardError">The last lines it wrote to standard error.</param>
    public WorkerCrashedException(string message, int workerIndex, int processId, int? exitCode, int? signal, IReadOnlyList<string> lastStandardError)
        : base(message)
    {
        WorkerIndex = workerIndex;
        ProcessId = processId;
        ExitCode = exitCode;
        Signal = signal;
        LastStandardError = lastStandardError;
    }

    /// <summary>The index of the worker that died.</summary>
    public int WorkerIndex { get; }

    /// <summary>The process id of the worker that died.</summary>
    public int ProcessId { get; }

    /// <summary>The exit code, when the process exited (null if it could not be read).</summary>
    public int? ExitCode { get; }

    /// <summary>The number of the signal that killed the worker, when one did (Unix).</summary>
    public int? Signal { get; }

    /// <summary>
    /// The last lines the worker wrote to standard error before it died. When the runtime wrote a crash report
    /// (an unhandled exception, a stack overflow, <c>Environment.FailFast</c>), which never reaches the console: its
    /// first line, a line counting those left out, and its last lines.
    /// </summary>
    public IReadOnlyList<string> LastStandardError { get; }
}
