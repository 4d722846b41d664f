using MessagePack;
using Multiprocessing.Managers.FastPath;

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

    /// <summary>Whether the event is set: Python's <c>is_set()</c>. A read of shared memory on Linux, else one round trip.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public bool IsSet => Shared is { } fast ? fast.IsSet : IsTrue(ManagerOp.EventIsSet);

    /// <summary>Sets the event and releases every waiter: Python's <c>set()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Set()
    {
        if (Shared is { } fast)
        {
            fast.Set();
        }
        else
        {
            Call(ManagerOp.EventSet);
        }
    }

    /// <summary>Clears the event: Python's <c>clear()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Clear()
    {
        if (Shared is { } fast)
        {
            fast.Clear();
        }
        else
        {
            Call(ManagerOp.EventClear);
        }
    }

    /// <summary>Waits until the event is set: Python's <c>wait()</c>.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Wait(CancellationToken cancellationToken = default) => WaitCore(-1, cancellationToken);

    /// <summary>Waits at most <paramref name="timeout"/>: Python's <c>wait(timeout)</c>.</summary>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>True when the event is set; false when the timeout passed first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken = default) => WaitCore(ToMilliseconds(timeout), cancellationToken);

    /// <summary>Waits until the event is set, without blocking a thread.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the event is set.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public async Task WaitAsync(CancellationToken cancellationToken = default) =>
        await WaitCoreAsync(-1, cancellationToken).ConfigureAwait(false);

    /// <summary>Waits at most <paramref name="timeout"/>, without blocking a thread.</summary>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>True when the event is set; false when the timeout passed first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        await WaitCoreAsync(ToMilliseconds(timeout), cancellationToken).ConfigureAwait(false);

    /// <summary>The shared-memory flag, when the manager gave this event one; null: every call is a round trip.</summary>
    [IgnoreMember]
    private SharedEvent? Shared => Fast(static segment => new SharedEvent(segment));

    private bool WaitCore(long timeoutMs, CancellationToken cancellationToken) => Shared is { } fast
        ? fast.Wait(timeoutMs, cancellationToken)
        : Call(ManagerOp.EventWait, cancellationToken, timeoutMs).Status == ReplyStatus.Ok;

    private async ValueTask<bool> WaitCoreAsync(long timeoutMs, CancellationToken cancellationToken)
    {
        if (Shared is not { } fast)
        {
            return (await CallAsync(ManagerOp.EventWait, cancellationToken, timeoutMs).ConfigureAwait(false)).Status == ReplyStatus.Ok;
        }

        return fast.Wait(0, cancellationToken)
            || (timeoutMs != 0 && await FastWait.OnOwnThread(() => fast.Wait(timeoutMs, cancellationToken)).ConfigureAwait(false));
    }
}
