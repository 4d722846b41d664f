namespace Multiprocessing.Orleans;

/// <summary>
/// A chunk's silo was lost (its process died, its machine or network went away) more than
/// <see cref="ClusterPoolOptions.MaxSiloRetries"/> times, or its calls kept failing: the tasks of that chunk fail
/// with this, so that a task that kills its silo cannot take the silos down one by one.
/// </summary>
public sealed class SiloLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SiloLostException()
        : this("A silo running this task was lost.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public SiloLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The last attempt's error.</param>
    public SiloLostException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
