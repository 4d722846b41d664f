namespace Multiprocessing.Managers;

/// <summary>
/// Holds a shared lock, semaphore or condition from <see cref="AcquirableProxy.Acquire"/> until disposed:
/// <c>using (sharedLock.Acquire()) { … }</c>, Python's <c>with lock:</c>.
/// </summary>
public readonly struct LockScope : IDisposable, IEquatable<LockScope>
{
    private readonly AcquirableProxy? _proxy;

    internal LockScope(AcquirableProxy proxy) => _proxy = proxy;

    /// <summary>Releases what <see cref="AcquirableProxy.Acquire"/> took. Dispose once.</summary>
    public void Dispose() => _proxy?.Release();

    /// <inheritdoc />
    public bool Equals(LockScope other) => ReferenceEquals(_proxy, other._proxy);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is LockScope other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _proxy?.GetHashCode() ?? 0;

    /// <summary>Compares two scopes.</summary>
    /// <param name="left">A scope.</param>
    /// <param name="right">Another scope.</param>
    /// <returns>True when both hold the same proxy.</returns>
    public static bool operator ==(LockScope left, LockScope right) => left.Equals(right);

    /// <summary>Compares two scopes.</summary>
    /// <param name="left">A scope.</param>
    /// <param name="right">Another scope.</param>
    /// <returns>True when they hold different proxies.</returns>
    public static bool operator !=(LockScope left, LockScope right) => !left.Equals(right);
}
