using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers;

/// <summary>
/// A shared FIFO queue that counts unfinished items: Python's <c>manager.JoinableQueue(maxsize)</c>. Every
/// put adds one to the count; <see cref="TaskDone"/> takes one off after a consumer has processed an item
/// it got; <see cref="Join(CancellationToken)"/> waits until the count is zero.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <example>
/// <code>
/// // consumer task:  while (true) { var job = jobs.Get(); Process(job); jobs.TaskDone(); }
/// foreach (var job in work) jobs.Put(job);
/// jobs.Join();   // every job processed
/// </code>
/// </example>
public sealed class JoinableQueueProxy<T> : QueueProxy<T>
{
    internal JoinableQueueProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    /// <summary>Marks one item got earlier as processed: Python's <c>task_done()</c>.</summary>
    /// <exception cref="InvalidOperationException">Called more times than items were put (Python's <c>ValueError</c>).</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void TaskDone()
    {
        if (Ring is { } ring)
        {
            ring.TaskDone();
        }
        else
        {
            Call(ManagerOp.QueueTaskDone);
        }
    }

    /// <summary>Waits until every item put has been marked done: Python's <c>join()</c>.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Join(CancellationToken cancellationToken = default) => JoinCore(-1, cancellationToken);

    /// <summary>Waits at most <paramref name="timeout"/> until every item put has been marked done.</summary>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>True when every item is done; false when the timeout passed first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool Join(TimeSpan timeout, CancellationToken cancellationToken = default) => JoinCore(ToMilliseconds(timeout), cancellationToken);

    /// <summary>Waits until every item put has been marked done, without blocking a thread.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when every item is done.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public async Task JoinAsync(CancellationToken cancellationToken = default)
    {
        if (Ring is not { } ring)
        {
            await CallAsync(ManagerOp.QueueJoin, cancellationToken, -1).ConfigureAwait(false);
        }
        else if (!ring.Join(0, cancellationToken))
        {
            await FastWait.OnOwnThread(() => ring.Join(-1, cancellationToken)).ConfigureAwait(false);
        }
    }

    private bool JoinCore(long timeoutMs, CancellationToken cancellationToken) => Ring is { } ring
        ? ring.Join(timeoutMs, cancellationToken)
        : Call(ManagerOp.QueueJoin, cancellationToken, timeoutMs).Status == ReplyStatus.Ok;
}
