namespace Multiprocessing;

/// <summary>
/// The pool can no longer run tasks, for example because the initializer failed when the workers first
/// started. Pending and later submissions fail with it; the inner exception is the cause.
/// </summary>
public sealed class BrokenPoolException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What broke and what to do.</param>
    /// <param name="innerException">The cause, for example the initializer's exception.</param>
    public BrokenPoolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
