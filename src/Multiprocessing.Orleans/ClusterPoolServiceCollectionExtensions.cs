using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace Multiprocessing.Orleans;

/// <summary>Registers a <see cref="ClusterPool"/> in a hosted application.</summary>
public static class ClusterPoolServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ClusterPool"/> and <see cref="IPool"/> as one singleton over the application's
    /// <see cref="IClusterClient"/> (register the client with <c>UseOrleansClient</c> or a silo with <c>UseOrleans</c>).
    /// It is created on first use, once the client is connected, and terminated when the container is disposed.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The pool's options.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddClusterPool(this IServiceCollection services, ClusterPoolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(sp => new ClusterPool(sp.GetRequiredService<IClusterClient>(), options));
        services.AddSingleton<IPool>(static sp => sp.GetRequiredService<ClusterPool>());
        return services;
    }
}
