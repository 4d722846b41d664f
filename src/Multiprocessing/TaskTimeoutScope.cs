namespace Multiprocessing;

/// <summary>
/// A per-call override of <see cref="PoolOptions.TaskTimeout"/>: tasks issued on this flow of control
/// (thread or async flow) while the scope is open get <see cref="Timeout"/> instead of the pool's setting.
/// Create one with <see cref="Pool.WithTaskTimeout"/>; dispose it to end the override.
/// </summary>
public sealed class TaskTimeoutScope : IDisposable
{
    private static readonly AsyncLocal<TaskTimeoutScope?> s_current = new();

    private readonly TaskTimeoutScope? _outer;
    private bool _disposed;

    internal TaskTimeoutScope(TimeSpan timeout)
    {
        Timeout = timeout;
        _outer = s_current.Value;
        s_current.Value = this;
    }

    /// <summary>The timeout for tasks issued in this scope.</summary>
    public TimeSpan Timeout { get; }

    internal static TimeSpan? Current => s_current.Value?.Timeout;

    /// <summary>Ends the override; tasks already issued keep it.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            s_current.Value = _outer;
        }
    }
}
