namespace Multiprocessing;

/// <summary>
/// A task's exception whose type cannot be rebuilt in this process (the type is unknown here or has no
/// constructor taking a message). Carries the original type name, message and the worker's stack trace.
/// </summary>
public sealed class RemoteException : Exception
{
    /// <summary>Creates a remote exception.</summary>
    /// <param name="remoteType">The full name of the exception type thrown in the worker.</param>
    /// <param name="message">The original message.</param>
    /// <param name="remoteStackTrace">The stack trace in the worker, if any.</param>
    /// <param name="innerException">The original inner exception, rebuilt.</param>
    public RemoteException(string remoteType, string message, string? remoteStackTrace, Exception? innerException = null)
        : base($"{remoteType}: {message}", innerException)
    {
        RemoteType = remoteType;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>The full name of the exception type that was thrown in the worker.</summary>
    public string RemoteType { get; }

    /// <summary>The stack trace of the exception in the worker.</summary>
    public string? RemoteStackTrace { get; }

    /// <inheritdoc />
    public override string? StackTrace => RemoteStackTrace is null ? base.StackTrace : RemoteStackTrace + Environment.NewLine + "--- End of remote stack trace ---" + Environment.NewLine + base.StackTrace;
}
