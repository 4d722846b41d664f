namespace Multiprocessing;

/// <summary>A callback or error callback passed to an asynchronous method threw.</summary>
public sealed class CallbackFailedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    /// <param name="exception">What the callback threw.</param>
    /// <param name="isErrorCallback">Whether it was the error callback.</param>
    public CallbackFailedEventArgs(Exception exception, bool isErrorCallback)
    {
        Exception = exception;
        IsErrorCallback = isErrorCallback;
    }

    /// <summary>What the callback threw.</summary>
    public Exception Exception { get; }

    /// <summary>True if the error callback threw, false if the result callback did.</summary>
    public bool IsErrorCallback { get; }
}
