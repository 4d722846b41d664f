using MessagePack;

namespace Multiprocessing.Managers;

/// <summary>
/// An event shared between processes: Python's <c>manager.Event()</c>. Set, it releases every waiter and
/// stays set until cleared.
/// </summary>
/// <example>
/// <code>
/// while (!stop.IsSet) { DoSomeWork(); }   // in each task; stop.Set() in the parent stops them all
/// </code>
/// </example>
public sealed class EventProxy : ManagerProxy
{
    internal EventProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    /// <summary>Whether the event is set: Python's <c>is_set()</c>. One round trip.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public bool IsSet => IsTrue(ManagerOp.EventIsSet);

    /// <summary>Sets the event and releases every waiter: Python's <c>set()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Set() => Call(ManagerOp.EventSet);

    /// <summary>Clears the event: Python's <c>clear()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Clear() => Call(ManagerOp.EventClear);

    /// <summary>Waits until the event is set: Python's <c>wait()</c>.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Wait(CancellationToken cancellationToken = default) => Call(ManagerOp.EventWait, cancellationToken, -1);

    /// <summary>Waits at most <paramref name="timeout"/>: Python's <c>wait(timeout)</c>.</summary>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>True when the event is set; false when the timeout passed first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Call(ManagerOp.EventWait, cancellationToken, ToMilliseconds(timeout)).Status == ReplyStatus.Ok;

    /// <summary>Waits until the event is set, without blocking a thread.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the event is set.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public async Task WaitAsync(CancellationToken cancellationToken = default) =>
        await CallAsync(ManagerOp.EventWait, cancellationToken, -1).ConfigureAwait(false);

    /// <summary>Waits at most <paramref name="timeout"/>, without blocking a thread.</summary>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>True when the event is set; false when the timeout passed first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        (await CallAsync(ManagerOp.EventWait, cancellationToken, ToMilliseconds(timeout)).ConfigureAwait(false)).Status == ReplyStatus.Ok;
}
