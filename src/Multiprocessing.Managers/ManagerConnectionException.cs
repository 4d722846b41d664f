namespace Multiprocessing.Managers;

/// <summary>
/// A proxy could not reach its <see cref="Manager"/>, was refused by it (wrong key), or lost its connection
/// during a call (the manager was disposed or its process exited). The call's effect on the shared object
/// is unknown when the connection broke after the request was sent. A proxy never hangs on a dead manager.
/// </summary>
public sealed class ManagerConnectionException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and what to do.</param>
    public ManagerConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What failed and what to do.</param>
    /// <param name="innerException">The socket or stream error behind it.</param>
    public ManagerConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
