using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Multiprocessing.Extensions.Hosting;

/// <summary>
/// Owns the pool of a host: creates it (and so starts its workers) when the host starts, drains it when
/// the host stops, and disposes it with the container. The pool is also created on first resolution,
/// because the host resolves every hosted service, and so their constructors' <see cref="IPool"/>,
/// before it starts any of them.
/// </summary>
internal sealed partial class PoolLifetime : IHostedService, IAsyncDisposable
{
    private readonly Lazy<PoolBase> _pool;
    private readonly ILogger _logger;

    public PoolLifetime(Func<PoolBase> create, ILogger<PoolLifetime>? logger)
    {
        _pool = new Lazy<PoolBase>(create, LazyThreadSafetyMode.ExecutionAndPublication);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public PoolBase Pool => _pool.Value;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        PoolBase pool = _pool.Value;
        LogStarted(_logger, pool.GetType().Name, pool.Processes);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Python's <c>close(); join()</c>, bounded by the host's shutdown timeout (which cancels
    /// <paramref name="cancellationToken"/>), then <c>terminate()</c> for whatever is still running.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_pool.IsValueCreated)
        {
            return;
        }

        PoolBase pool = _pool.Value;
        try
        {
            pool.Close();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        // JoinAsync blocks no thread, and the host's shutdown timeout ends the wait.
        try
        {
            await pool.JoinAsync(cancellationToken).ConfigureAwait(false);
            LogDrained(_logger);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogTerminated(_logger);
            pool.Terminate();
        }
        catch (ObjectDisposedException)
        {
            // The container disposed the pool meanwhile: nothing is left to drain.
        }
    }

    public ValueTask DisposeAsync() => _pool.IsValueCreated ? _pool.Value.DisposeAsync() : ValueTask.CompletedTask;

    [LoggerMessage(1, LogLevel.Debug, "Started a {PoolType} with {Processes} workers")]
    private static partial void LogStarted(ILogger logger, string poolType, int processes);

    [LoggerMessage(2, LogLevel.Debug, "The pool finished its tasks and its workers exited")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(3, LogLevel.Warning, "The pool did not finish its tasks within the host's shutdown timeout; terminating it (unfinished tasks fail with PoolTerminatedException)")]
    private static partial void LogTerminated(ILogger logger);
}
