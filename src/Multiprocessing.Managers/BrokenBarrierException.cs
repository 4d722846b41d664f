namespace Multiprocessing.Managers;

/// <summary>
/// A shared barrier is broken: it was aborted or reset while parties waited, or a waiting party timed out,
/// was cancelled or died. Every party waiting on it, and every later <see cref="BarrierProxy.SignalAndWait()"/>,
/// gets this until <see cref="BarrierProxy.Reset"/>. Python's <c>threading.BrokenBarrierError</c>.
/// </summary>
public sealed class BrokenBarrierException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the barrier broke.</param>
    public BrokenBarrierException(string message)
        : base(message)
    {
    }
}
