using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Multiprocessing;
using Multiprocessing.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers a pool with the .NET Generic Host: <see cref="IPool"/> as a singleton whose workers start
/// with the host and which drains on shutdown (Python's <c>close()</c> and <c>join()</c> within the
/// host's shutdown timeout, then <c>terminate()</c>).
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddProcessPool(options =&gt; options with { Processes = 4, MaxTasksPerChild = 100 });
/// </code>
/// </example>
public static class PoolServiceCollectionExtensions
{
    /// <summary>Registers a <see cref="Pool"/> of worker processes, one per processor, as <see cref="IPool"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="InvalidOperationException">An <see cref="IPool"/> is already registered.</exception>
    public static IServiceCollection AddProcessPool(this IServiceCollection services) =>
        AddProcessPool(services, static options => options);

    /// <summary>Registers a <see cref="Pool"/> of worker processes as <see cref="IPool"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">
    /// Returns the options from the defaults, for example <c>options =&gt; options with { Processes = 4 }</c>.
    /// Called once, when the pool is created; the options are validated then.
    /// </param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="InvalidOperationException">An <see cref="IPool"/> is already registered.</exception>
    public static IServiceCollection AddProcessPool(this IServiceCollection services, Func<PoolOptions, PoolOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddPool(services, _ => new Pool(Configure(configure(new PoolOptions()))));
    }

    /// <summary>Registers a <see cref="Pool"/> of worker processes as <see cref="IPool"/>, configured from other services.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">
    /// Returns the options from the container and the defaults, for example
    /// <c>(provider, options) =&gt; options with { Processes = provider.GetRequiredService&lt;Settings&gt;().Workers }</c>.
    /// </param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="InvalidOperationException">An <see cref="IPool"/> is already registered.</exception>
    public static IServiceCollection AddProcessPool(this IServiceCollection services, Func<IServiceProvider, PoolOptions, PoolOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddPool(services, provider => new Pool(Configure(configure(provider, new PoolOptions()))));
    }

    /// <summary>Registers a <see cref="ThreadedPool"/> (threads of this process) as <see cref="IPool"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="InvalidOperationException">An <see cref="IPool"/> is already registered.</exception>
    public static IServiceCollection AddThreadedPool(this IServiceCollection services) =>
        AddThreadedPool(services, static options => options);

    /// <summary>Registers a <see cref="ThreadedPool"/> (threads of this process) as <see cref="IPool"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Returns the options from the defaults, for example <c>options =&gt; options with { Processes = 8 }</c>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="InvalidOperationException">An <see cref="IPool"/> is already registered.</exception>
    public static IServiceCollection AddThreadedPool(this IServiceCollection services, Func<PoolOptions, PoolOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddPool(services, _ => new ThreadedPool(Configure(configure(new PoolOptions()))));
    }

    private static PoolOptions Configure(PoolOptions? options) =>
        options ?? throw new InvalidOperationException("The pool's configure function returned null; return the options it was given, changed with 'with { … }'.");

    private static IServiceCollection AddPool(IServiceCollection services, Func<IServiceProvider, PoolBase> create)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(static d => d.ServiceType == typeof(IPool)))
        {
            throw new InvalidOperationException("An IPool is already registered in this service collection; AddProcessPool and AddThreadedPool register one pool per container.");
        }

        services.AddSingleton(provider => new PoolLifetime(() => create(provider), provider.GetService<ILogger<PoolLifetime>>()));
        services.AddSingleton<IPool>(static provider => provider.GetRequiredService<PoolLifetime>().Pool);

        // First of the hosted services, whenever this is called: the host starts hosted services in
        // registration order and stops them in reverse, so the pool is up before the services that use it
        // start and drains only after they have stopped issuing work.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(static provider => provider.GetRequiredService<PoolLifetime>()));
        return services;
    }
}
