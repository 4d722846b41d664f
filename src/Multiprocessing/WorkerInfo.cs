namespace Multiprocessing;

/// <summary>
/// The worker running the current task: the counterpart of Python's <c>current_process()</c>.
/// Inside a task <see cref="Current"/> is never null; other code asks <see cref="IsInWorker"/> first.
/// </summary>
public sealed class WorkerInfo
{
    [ThreadStatic]
    private static WorkerInfo? s_threadCurrent;

    private static WorkerInfo? s_processCurrent;

    internal WorkerInfo(int index, int processId, bool isProcess, ITaskPool pool)
    {
        Index = index;
        ProcessId = processId;
        IsProcess = isProcess;
        Pool = pool;
    }

    /// <summary>The pool this worker belongs to, for issuing follow-up tasks from inside a task.</summary>
    public ITaskPool Pool { get; }

    /// <summary>The worker running this task (inside a task, never null: no <c>!</c> needed).</summary>
    /// <exception cref="InvalidOperationException">Not inside a task of a pool (see <see cref="IsInWorker"/>).</exception>
    public static WorkerInfo Current => s_threadCurrent ?? s_processCurrent
        ?? throw new InvalidOperationException("WorkerInfo.Current is only set inside a task run by a pool (in a worker process or on a ThreadedPool thread); code that may run elsewhere checks WorkerInfo.IsInWorker first.");

    /// <summary>Whether this code runs inside a task of a pool, so that <see cref="Current"/> can be read.</summary>
    public static bool IsInWorker => (s_threadCurrent ?? s_processCurrent) is not null;

    /// <summary>The worker's index in its pool (0-based; a replacement gets a new index).</summary>
    public int Index { get; }

    /// <summary>The worker's process id (for <see cref="ThreadedPool"/>, this process).</summary>
    public int ProcessId { get; }

    /// <summary>True for a worker process of <see cref="Pool"/>, false for a thread of <see cref="ThreadedPool"/>.</summary>
    public bool IsProcess { get; }

    /// <summary>A name in the style of Python's: <c>PoolWorker-3</c> or <c>ThreadPoolWorker-3</c>.</summary>
    public string Name => (IsProcess ? "PoolWorker-" : "ThreadPoolWorker-") + Index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static void SetForProcess(WorkerInfo info) => s_processCurrent = info;

    internal static void SetForThread(WorkerInfo? info) => s_threadCurrent = info;

    /// <inheritdoc />
    public override string ToString() => $"{Name} (pid {ProcessId})";
}
