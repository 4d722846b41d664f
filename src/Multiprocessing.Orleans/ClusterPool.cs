using Multiprocessing.Orleans.Client;
using Orleans;

namespace Multiprocessing.Orleans;

/// <summary>
/// The same <see cref="IPool"/> over an Orleans cluster: each silo runs a local process pool
/// (<see cref="SiloBuilderExtensions.AddMultiprocessingWorkers"/>) and this pool sends it chunks, serialized as for a
/// local worker. Every overload of <see cref="PoolExtensions"/> works, with the same results, order and errors as on
/// <see cref="Pool"/>. A silo lost mid-call loses nothing: its chunks run again on another silo (up to
/// <see cref="ClusterPoolOptions.MaxSiloRetries"/> times) and each result is counted once.
/// </summary>
/// <remarks>
/// <see cref="IPool.Processes"/> is the sum of the silos' workers, and changes as silos join and leave;
/// <see cref="IPool.Resize"/> changes only this pool: it uses silos, by address, until their workers reach the size asked
/// (all of them when they have fewer); the silos' own pools are shared and keep their size.
/// <see cref="IPool.Terminate"/> cancels the chunks running on the silos; the silos and their pools carry on.
/// </remarks>
/// <example>
/// <code>
/// using var pool = new ClusterPool(client);
/// IReadOnlyList&lt;int&gt; squares = pool.Map(static (int x) =&gt; x * x, Enumerable.Range(0, 100));
/// </code>
/// </example>
public sealed class ClusterPool : PoolBase
{
    /// <summary>Creates a pool over the silos <paramref name="client"/> reaches; waits for the first silo with workers.</summary>
    /// <param name="client">A connected cluster client (or a silo's own).</param>
    /// <param name="options">The options; validated here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidOperationException">No silo with workers answered within <see cref="ClusterPoolOptions.StartTimeout"/>.</exception>
    public ClusterPool(IClusterClient client, ClusterPoolOptions? options = null)
        : base(LocalOptions(client, options ??= new ClusterPoolOptions()), o => new ClusterExecutor(client, options))
    {
        ClusterOptions = options;
    }

    /// <summary>The options this pool was created with.</summary>
    public ClusterPoolOptions ClusterOptions { get; }

    /// <summary>Raised (on the watcher's thread) after a silo is found lost and its chunks requeued.</summary>
    internal event Action<string>? SiloLost
    {
        add => ((ClusterExecutor)Executor).SiloLost += value;
        remove => ((ClusterExecutor)Executor).SiloLost -= value;
    }

    private static PoolOptions LocalOptions(IClusterClient client, ClusterPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        options.Validate();
        return new PoolOptions { Serializer = options.Serializer, Logger = options.Logger };
    }
}
