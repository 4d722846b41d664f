using Multiprocessing.Orleans;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests.Cluster;

/// <summary>
/// A cluster whose every silo is gone (here its only one, SIGKILLed): nobody is left to declare it dead, so the
/// pool must find out by itself. Chunks fail with <see cref="SiloLostException"/> within the bound, never hang,
/// and a new pool fails at its constructor with a clear error. A cluster of its own, outside the shared cluster's
/// collection: it runs beside the other cluster tests instead of after them.
/// </summary>
public sealed class ClusterLossOfAllSilosTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // Far beyond the pool's bound (StartTimeout, below), so that a hang shows as a TimeoutException here.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    private static readonly ClusterPoolOptions s_options = new() { StartTimeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public void Map_OnlySiloKilled_TasksFailWithSiloLostAndANewPoolFailsAtItsConstructor()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Step(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {what}");
        using var cluster = new ClusterFixture(silos: 1);
        Step("cluster up");
        using var pool = new ClusterPool(cluster.Client, s_options);
        using var running = new ManualResetEventSlim();
        var result = pool.MapAsync(ClusterTasks.Work, Enumerable.Range(0, 1_000_000), chunksize: 1000, progress: new InlineProgress(p =>
        {
            if (p.Completed > 0)
            {
                running.Set();
            }
        }));
        Assert.True(running.Wait(s_timeout), "the map never started");
        Assert.False(result.IsReady, "the map ended before its silo was killed");
        cluster.Kill(0);
        Step("killed");

        var lost = Assert.Throws<SiloLostException>(() => result.Get(s_timeout));
        Assert.Contains("no silo", lost.Message, StringComparison.OrdinalIgnoreCase);
        Step("the map failed");

        // Submitted with no silo left, a call waits for one within the same bound and fails the same way; a new
        // pool (meanwhile, on another thread) fails at its constructor.
        var refused = Task.Run(() => Assert.Throws<InvalidOperationException>(() => { using var none = new ClusterPool(cluster.Client, s_options); }));
        var later = pool.ApplyAsync(Tasks.Square, 3);
        Assert.Throws<SiloLostException>(() => later.Get(s_timeout));
        Step("a later call failed");
        Assert.True(refused.Wait(s_timeout), "the constructor did not return");
        Assert.Contains("No silo of the cluster answered", refused.Result.Message);
        Step("a new pool failed");
    }

    private sealed class InlineProgress(Action<PoolProgress> report) : IProgress<PoolProgress>
    {
        public void Report(PoolProgress value) => report(value);
    }
}
