namespace Multiprocessing;

/// <summary>
/// The pool was terminated (<see cref="IPool.Terminate"/> or <see cref="IDisposable.Dispose"/>) before this
/// task completed. Derives from <see cref="OperationCanceledException"/>: the task was cancelled with the pool.
/// </summary>
public sealed class PoolTerminatedException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public PoolTerminatedException(string message)
        : base(message)
    {
    }
}
