using MessagePack;

namespace Multiprocessing.Managers;

/// <summary>
/// A barrier shared between processes: Python's <c>manager.Barrier(parties)</c> (without the action). Each
/// party's <see cref="SignalAndWait()"/> returns when all have arrived; then the barrier is ready for the
/// next round. A party that times out, is cancelled or whose process dies breaks it for every party
/// (<see cref="BrokenBarrierException"/>), so none waits for a party that will never come.
/// </summary>
public sealed class BarrierProxy : ManagerProxy
{
    internal BarrierProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    /// <summary>How many parties must arrive: Python's <c>parties</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public int Parties => CallForInt(ManagerOp.BarrierParties);

    /// <summary>How many parties are waiting now: Python's <c>n_waiting</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public int WaitingCount => CallForInt(ManagerOp.Count);

    /// <summary>Whether the barrier is broken: Python's <c>broken</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public bool IsBroken => IsTrue(ManagerOp.BarrierIsBroken);

    /// <summary>Arrives and waits for every party: Python's <c>wait()</c>.</summary>
    /// <returns>This party's arrival index, 0 for the first, <see cref="Parties"/> − 1 for the last.</returns>
    /// <exception cref="BrokenBarrierException">The barrier is or became broken.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public int SignalAndWait() => SignalAndWait(Timeout.InfiniteTimeSpan);

    /// <summary>Arrives and waits at most <paramref name="timeout"/>: Python's <c>wait(timeout)</c>. A timeout or a cancellation breaks the barrier.</summary>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting (and breaks the barrier).</param>
    /// <returns>This party's arrival index, 0 for the first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="BrokenBarrierException">The barrier is or became broken, or this wait timed out.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public int SignalAndWait(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        (int)Call(ManagerOp.BarrierWait, cancellationToken, ToMilliseconds(timeout)).Value;

    /// <summary>Arrives and waits for every party, without blocking a thread.</summary>
    /// <param name="cancellationToken">Stops waiting (and breaks the barrier).</param>
    /// <returns>This party's arrival index, 0 for the first.</returns>
    /// <exception cref="BrokenBarrierException">The barrier is or became broken.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public async ValueTask<int> SignalAndWaitAsync(CancellationToken cancellationToken = default) =>
        (int)(await CallAsync(ManagerOp.BarrierWait, cancellationToken, -1).ConfigureAwait(false)).Value;

    /// <summary>Breaks the barrier: waiting parties and later arrivals get <see cref="BrokenBarrierException"/>. Python's <c>abort()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Abort() => Call(ManagerOp.BarrierAbort);

    /// <summary>Returns the barrier to its empty, unbroken state; parties waiting now get <see cref="BrokenBarrierException"/>. Python's <c>reset()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Reset() => Call(ManagerOp.BarrierReset);
}
