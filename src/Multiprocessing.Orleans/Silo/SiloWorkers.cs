using Microsoft.Extensions.Hosting;

namespace Multiprocessing.Orleans.Silo;

/// <summary>
/// The silo's local process pool: started with the silo, drained when it stops (issued chunks finish within the
/// host's shutdown time, then the rest are terminated and their drivers run them elsewhere).
/// </summary>
internal sealed class SiloWorkers(PoolOptions options) : IHostedService, IDisposable
{
    private readonly Lazy<Pool> _pool = new(() => new Pool(options), LazyThreadSafetyMode.ExecutionAndPublication);

    public Pool Pool => _pool.Value;

    public PoolOptions Options => options;

    /// <summary>The chunks this silo holds, by driver and attempt (the drivers' watchers ask, to find lost messages).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<(Guid Driver, long Attempt), byte> Attempts { get; } = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = _pool.Value;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_pool.IsValueCreated)
        {
            return;
        }

        var pool = _pool.Value;
        pool.Close();
        try
        {
            await pool.JoinAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            pool.Terminate();
        }
    }

    public void Dispose()
    {
        if (_pool.IsValueCreated)
        {
            _pool.Value.Dispose();
        }
    }
}
