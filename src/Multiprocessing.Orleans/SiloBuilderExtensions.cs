using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Multiprocessing.Orleans.Silo;
using Orleans.Hosting;

namespace Multiprocessing.Orleans;

/// <summary>Makes a silo a worker of <see cref="ClusterPool"/>.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Runs a local process <see cref="Pool"/> in this silo (a crash stays contained in its silo) and the grain that
    /// takes a <see cref="ClusterPool"/>'s chunks. Deploy the same application to every silo and to the driver: a
    /// silo runs only methods from assemblies it loads itself, and refuses another build of them.
    /// </summary>
    /// <param name="builder">The silo.</param>
    /// <param name="options">The silo's pool (processes, serializer, task timeout…); by default one worker per processor.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static ISiloBuilder AddMultiprocessingWorkers(this ISiloBuilder builder, PoolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(new SiloWorkers(options ?? new PoolOptions()));
        services.AddHostedService(static sp => sp.GetRequiredService<SiloWorkers>());
        services.TryAddSingleton<SiloFunctions>();
        builder.AddPlacementDirector<SiloPlacementStrategy, SiloPlacementDirector>();
        return builder;
    }
}
