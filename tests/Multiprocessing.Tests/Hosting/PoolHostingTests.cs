using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests.Hosting;

/// <summary>
/// AddProcessPool / AddThreadedPool with a real Generic Host: the pool is a singleton, starts with the
/// host, drains when the host stops (Close + Join, Terminate when the shutdown timeout runs out) and
/// refuses work afterwards. Every wait is bounded by <see cref="Timeout"/>.
/// </summary>
public sealed class PoolHostingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AddProcessPool_ResolvedTwice_ReturnsTheSameProcessPool()
    {
        using IHost host = Build(services => services.AddProcessPool(options => options with { Processes = 2 }));
        await host.StartAsync().WaitAsync(Timeout);

        IPool first = host.Services.GetRequiredService<IPool>();
        IPool second = host.Services.GetRequiredService<IPool>();

        Assert.Same(first, second);
        Assert.IsType<Pool>(first);
        Assert.Equal(2, first.Processes);
        await host.StopAsync().WaitAsync(Timeout);
    }

    [Fact]
    public async Task AddProcessPool_MapThroughTheHostsPool_ReturnsResultsInOrder()
    {
        using IHost host = Build(services => services.AddProcessPool(options => options with { Processes = 2 }));
        await host.StartAsync().WaitAsync(Timeout);
        IPool pool = host.Services.GetRequiredService<IPool>();

        IReadOnlyList<int> squares = pool.Map(Tasks.Square, Enumerable.Range(0, 50));

        Assert.Equal(Enumerable.Range(0, 50).Select(x => x * x), squares);
        Assert.NotEqual(Environment.ProcessId, pool.Apply(Tasks.WorkerPid, 0));
        await host.StopAsync().WaitAsync(Timeout);
    }

    [Fact]
    public async Task StopAsync_TaskIssuedBeforeStop_CompletesBeforeStopReturnsAndLaterCallsThrow()
    {
        using var gate = new Gate();
        using IHost host = Build(services => services.AddProcessPool(options => options with { Processes = 1 }));
        await host.StartAsync().WaitAsync(Timeout);
        IPool pool = host.Services.GetRequiredService<IPool>();
        AsyncResult<int> running = pool.ApplyAsync(Tasks.WaitForGate, gate.Path);

        Task stopping = host.StopAsync();

        // Draining waits for the task: stop must not finish while the task is held at the gate.
        Assert.False(stopping.Wait(TimeSpan.FromMilliseconds(300)), "the host stopped before the pool's task finished");
        Assert.False(running.IsReady);
        gate.Open();
        await stopping.WaitAsync(Timeout);
        Assert.True(running.IsReady);
        Assert.Equal(1, running.Get());
        Assert.Throws<InvalidOperationException>(() => pool.Map(Tasks.Square, [1, 2, 3]));
        Assert.Throws<InvalidOperationException>(() => pool.ApplyAsync(Tasks.Square, 4));
    }

    [Fact]
    public async Task StopAsync_ShutdownTimeoutRunsOut_TerminatesTheUnfinishedTask()
    {
        using var gate = new Gate(); // never opened
        using IHost host = Build(services =>
        {
            services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromMilliseconds(300));
            services.AddProcessPool(options => options with { Processes = 1 });
        });
        await host.StartAsync().WaitAsync(Timeout);
        IPool pool = host.Services.GetRequiredService<IPool>();
        AsyncResult<int> stuck = pool.ApplyAsync(Tasks.WaitForGate, gate.Path);

        await host.StopAsync().WaitAsync(Timeout);

        Assert.Throws<PoolTerminatedException>(() => stuck.Get(Timeout));
        Assert.Throws<InvalidOperationException>(() => pool.Apply(Tasks.Square, 2));
    }

    [Fact]
    public async Task AddProcessPool_RegisteredAfterItsUser_StartsBeforeAndStopsAfterIt()
    {
        using IHost host = Build(services =>
        {
            services.AddHostedService<MapOnStartAndStop>();
            services.AddProcessPool(options => options with { Processes = 1 });
        });

        await host.StartAsync().WaitAsync(Timeout);
        await host.StopAsync().WaitAsync(Timeout);

        var user = host.Services.GetServices<IHostedService>().OfType<MapOnStartAndStop>().Single();
        Assert.Equal([1, 4, 9], user.OnStart);
        Assert.Equal([16, 25], user.OnStop);
    }

    [Fact]
    public async Task DisposingTheHost_DisposesThePool()
    {
        IHost host = Build(services => services.AddProcessPool(options => options with { Processes = 1 }));
        await host.StartAsync().WaitAsync(Timeout);
        IPool pool = host.Services.GetRequiredService<IPool>();
        await host.StopAsync().WaitAsync(Timeout);

        await ((IAsyncDisposable)host).DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.Throws<ObjectDisposedException>(() => pool.Apply(Tasks.Square, 2));
    }

    [Fact]
    public async Task AddThreadedPool_MapThroughTheHostsPool_RunsClosuresOnThreads()
    {
        using IHost host = Build(services => services.AddThreadedPool(options => options with { Processes = 3 }));
        await host.StartAsync().WaitAsync(Timeout);
        IPool pool = host.Services.GetRequiredService<IPool>();
        int offset = 10;

        IReadOnlyList<int> results = pool.Map(x => x + offset, [1, 2, 3]);

        Assert.IsType<ThreadedPool>(pool);
        Assert.Equal(3, pool.Processes);
        Assert.Equal([11, 12, 13], results);
        await host.StopAsync().WaitAsync(Timeout);
        Assert.Throws<InvalidOperationException>(() => pool.Map(Tasks.Square, [1]));
    }

    [Fact]
    public void AddProcessPool_Twice_ThrowsInvalidOperationException()
    {
        var services = new ServiceCollection();
        services.AddProcessPool();

        var ex = Assert.Throws<InvalidOperationException>(() => services.AddThreadedPool());
        Assert.Contains("already registered", ex.Message);
    }

    [Fact]
    public async Task AddProcessPool_InvalidOptions_FailsWhenTheHostStarts()
    {
        using IHost host = Build(services => services.AddProcessPool(options => options with { Processes = 0 }));

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => host.StartAsync().WaitAsync(Timeout));
        Assert.Contains("Processes must be at least 1", ex.Message);
    }

    private static IHost Build(Action<IServiceCollection> configure)
    {
        // DisableDefaults: no configuration files or console logging to set up for every test.
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        configure(builder.Services);
        return builder.Build();
    }

    /// <summary>A hosted service that uses the pool while the host starts and while it stops.</summary>
    private sealed class MapOnStartAndStop(IPool pool) : IHostedService
    {
        public IReadOnlyList<int> OnStart { get; private set; } = [];

        public IReadOnlyList<int> OnStop { get; private set; } = [];

        public Task StartAsync(CancellationToken cancellationToken)
        {
            OnStart = pool.Map(Tasks.Square, [1, 2, 3]);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            OnStop = pool.Map(Tasks.Square, [4, 5]);
            return Task.CompletedTask;
        }
    }
}
