using System.Collections.Concurrent;

namespace Multiprocessing.Managers.Client;

/// <summary>
/// This process's connections to managers, pooled per manager and key. A call takes an idle connection
/// (or opens one: proxies connect lazily) and gives it back afterwards, so one thread gets one connection
/// reused for every proxy of that manager, and threads that block (a lock wait) never hold up others.
/// </summary>
internal static class ManagerClient
{
    private static readonly ConcurrentDictionary<(string Endpoint, string Key), ConcurrentStack<ManagerConnection>> s_idle = new();

    public static ManagerReply Call(ManagerProxy proxy, in ManagerRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var idle = IdleFor(proxy);
        var connection = Rent(proxy, idle);
        try
        {
            return Check(connection.Call(request, cancellationToken), cancellationToken);
        }
        finally
        {
            Return(idle, connection);
        }
    }

    public static async ValueTask<ManagerReply> CallAsync(ManagerProxy proxy, ManagerRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var idle = IdleFor(proxy);
        var connection = Rent(proxy, idle);
        try
        {
            return Check(await connection.CallAsync(request, cancellationToken).ConfigureAwait(false), cancellationToken);
        }
        finally
        {
            Return(idle, connection);
        }
    }

    private static ConcurrentStack<ManagerConnection> IdleFor(ManagerProxy proxy) =>
        s_idle.GetOrAdd((proxy.Endpoint, proxy.AuthKey), static _ => new ConcurrentStack<ManagerConnection>());

    private static ManagerConnection Rent(ManagerProxy proxy, ConcurrentStack<ManagerConnection> idle)
    {
        if (idle.TryPop(out var connection))
        {
            return connection;
        }

        byte[] key;
        try
        {
            key = Convert.FromHexString(proxy.AuthKey);
        }
        catch (FormatException ex)
        {
            throw new ManagerConnectionException($"The proxy's key is not valid hex: {ex.Message}", ex);
        }

        return ManagerConnection.Open(proxy.Endpoint, key);
    }

    private static void Return(ConcurrentStack<ManagerConnection> idle, ManagerConnection connection)
    {
        if (connection.IsBroken)
        {
            connection.Dispose();
        }
        else
        {
            idle.Push(connection);
        }
    }

    /// <summary>Turns the failures every proxy shares into exceptions; the rest is the proxy's to read.</summary>
    private static ManagerReply Check(ManagerReply reply, CancellationToken cancellationToken) => reply.Status switch
    {
        ReplyStatus.Cancelled => throw new OperationCanceledException(cancellationToken),
        ReplyStatus.Error => throw (ReplyError)reply.Value switch
        {
            ReplyError.SynchronizationLock => new SynchronizationLockException(reply.Message),
            ReplyError.SemaphoreFull => new SemaphoreFullException(reply.Message),
            ReplyError.KeyNotFound => new KeyNotFoundException(reply.Message),
            ReplyError.ArgumentOutOfRange => new ArgumentOutOfRangeException(null, reply.Message),
            _ => new InvalidOperationException(reply.Message),
        },
        ReplyStatus.BrokenBarrier => throw new BrokenBarrierException(reply.Message ?? "The barrier is broken."),
        _ => reply,
    };
}
