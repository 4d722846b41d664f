using System.Diagnostics;
using Multiprocessing.Functions;
using Multiprocessing.Orleans;
using Multiprocessing.Orleans.Client;
using Multiprocessing.Orleans.Grains;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests.Cluster;

/// <summary>What only a cluster pool does: lost silos, builds, message sizes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterPoolBehaviourTests(ClusterFixture cluster, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void Map_NonPrimarySiloKilledMidway_ExactOrderedResultsDetectedWithinTenSecondsAndTheRestartedSiloTakesWork()
    {
        const int victim = 1;
        using var pool = new ClusterPool(cluster.Client, new ClusterPoolOptions { Logger = new OutputLogger(output) });
        Assert.Equal(ClusterFixture.Silos, pool.Processes);
        long lostAt = 0;
        string? lostSilo = null;
        using var lost = new ManualResetEventSlim();
        pool.SiloLost += address =>
        {
            lostSilo = address;
            Interlocked.Exchange(ref lostAt, Stopwatch.GetTimestamp());
            lost.Set();
        };

        using var tenth = new ManualResetEventSlim();
        var progress = new InlineProgress(p =>
        {
            if (p.Completed >= 10_000)
            {
                tenth.Set();
            }
        });
        var result = pool.MapAsync(ClusterTasks.Work, Enumerable.Range(0, 100_000), progress: progress);
        Assert.True(tenth.Wait(Timeout), "the map never reached 10%");
        long killedAt = Stopwatch.GetTimestamp();
        cluster.Kill(victim);

        Assert.True(lost.Wait(Timeout), "the killed silo was never found lost");
        Assert.True(cluster.IsSilo(lostSilo!, victim), $"{lostSilo} is not the killed silo");
        var detection = Stopwatch.GetElapsedTime(killedAt, Interlocked.Read(ref lostAt));

        // Restarted while the Map goes on (its start is the longest step of this test on a busy machine), it joins
        // with a new generation, and the pool sends it chunks again: perhaps some of this Map's, which changes nothing.
        var restarted = cluster.Start(victim);
        var results = result.Get(Timeout);
        output.WriteLine($"kill to detection: {detection.TotalSeconds:0.00} s; kill to results: {Stopwatch.GetElapsedTime(killedAt).TotalSeconds:0.00} s");
        Assert.True(detection < TimeSpan.FromSeconds(10), $"the loss was detected after {detection.TotalSeconds:0.0} s");
        Exact.Equal(Enumerable.Range(0, 100_000).Select(x => ((long)x * x) + 1), results);

        Assert.True(restarted.Wait(Timeout), "the silo did not restart");
        int pid = cluster.ProcessId(victim)!.Value;
        var clock = Stopwatch.StartNew();
        while (!pool.Map(ClusterTasks.SiloProcessId, Enumerable.Range(0, 60), chunksize: 1).Contains(pid))
        {
            Assert.True(clock.Elapsed < Timeout, "the restarted silo never took work");
        }
    }

    [Fact]
    public void Resize_ChangesOnlyThisPool_AndPastTheClustersSizeUsesEverySilo()
    {
        using var pool = new ClusterPool(cluster.Client);
        using var other = new ClusterPool(cluster.Client);
        Assert.Equal(ClusterFixture.Silos, pool.Processes);

        pool.Resize(1);
        Assert.Equal(1, pool.Processes);
        Assert.Single(pool.Map(ClusterTasks.SiloProcessId, Enumerable.Range(0, 30), chunksize: 1).Distinct());
        Assert.Equal(ClusterFixture.Silos, other.Processes); // the silos and their pools are shared: they keep their size

        pool.Resize(ClusterFixture.Silos + 5);
        Assert.Equal(ClusterFixture.Silos, pool.Processes);
        Assert.Equal(Enumerable.Range(0, 50).Select(x => x * x), pool.Map(Tasks.Square, Enumerable.Range(0, 50)));
    }

    [Fact]
    public void Map_ChunkOverMaxChunkBytes_ThrowsArgumentExceptionAtTheCallAndRunsNothing()
    {
        using var pool = new ClusterPool(cluster.Client, new ClusterPoolOptions { MaxChunkBytes = 64 * 1024 });
        var big = Enumerable.Range(0, 4).Select(i => new byte[100_000]).ToList();
        var ex = Assert.Throws<ArgumentException>(() => pool.Map(Tasks.Reverse, big, chunksize: 1));
        Assert.Contains("MaxChunkBytes", ex.Message);
        Assert.Equal(9, pool.Apply(Tasks.Square, 3));
    }

    [Fact]
    public void Options_Invalid_OneExceptionListsEveryProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ClusterPool(cluster.Client, new ClusterPoolOptions { MaxSiloRetries = -1, MaxChunksInFlightPerSilo = 0, TargetChunkDuration = TimeSpan.Zero }));
        Assert.Contains("MaxSiloRetries", ex.Message);
        Assert.Contains("MaxChunksInFlightPerSilo", ex.Message);
        Assert.Contains("TargetChunkDuration", ex.Message);
    }

    [Fact]
    public void Apply_TaskCrashesItsSilosWorker_FailsWithTheCrashNotARetryAndTheSiloCarriesOn()
    {
        using var pool = new ClusterPool(cluster.Client);
        var ex = Assert.ThrowsAny<Exception>(() => pool.Apply(CrashTasks.Exit, 3));
        Assert.Contains("WorkerCrashedException", ex is RemoteException remote ? remote.RemoteType : ex.GetType().Name);
        Assert.Equal(Enumerable.Range(0, 30).Select(x => x * x), pool.Map(Tasks.Square, Enumerable.Range(0, 30), chunksize: 1));
    }

    [Fact]
    public async Task Run_DescriptorOfAnotherBuild_IsRefusedNamingBothBuilds()
    {
        using var pool = new ClusterPool(cluster.Client);
        string silo = ((ClusterExecutor)pool.Executor).SiloAddresses().First();
        var descriptor = FunctionDescriptor.Create(Tasks.Square, "func");
        var other = Guid.NewGuid();
        var forged = descriptor with { AssemblyPaths = [new("Evil, Version=1.0.0.0", "/tmp/evil.dll")], ModuleVersionId = other };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePack.MessagePackWriter(buffer);
        forged.Write(ref writer);
        writer.Flush();
        var reply = await cluster.Client.GetGrain<IChunkGrain>(silo).Run(new ChunkRequest(buffer.WrittenSpan.ToArray(), [], 0, 1, Guid.NewGuid()), CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(ChunkOutcome.Unrunnable, reply.Outcome);
        var reader = new MessagePack.MessagePackReader(reply.Body);
        string message = Multiprocessing.Serialization.RemoteError.Read(ref reader).Message;
        Assert.Contains(other.ToString(), message);
        Assert.Contains(typeof(Tasks).Module.ModuleVersionId.ToString(), message);
    }

    [Theory]
    [InlineData("SiloLost", 1, "Requeue")]
    [InlineData("SiloLost", 2, "Fail")]
    [InlineData("CallFailed", ChunkRetryPolicy.MaxCallFailures, "Requeue")]
    [InlineData("CallFailed", ChunkRetryPolicy.MaxCallFailures + 1, "Fail")]
    [InlineData("Refused", 1, "Requeue")]
    public void RetryPolicy_NthLoss_Decides(string lossName, int nth, string expectedName)
    {
        var loss = Enum.Parse<ChunkLoss>(lossName);
        var expected = Enum.Parse<ChunkLossAction>(expectedName);
        int silosLost = 0;
        int callFailures = 0;
        var action = ChunkLossAction.Requeue;
        for (int i = 0; i < nth; i++)
        {
            action = ChunkRetryPolicy.Decide(loss, ref silosLost, ref callFailures, maxSiloRetries: 1);
        }

        Assert.Equal(expected, action);
    }

    private sealed class OutputLogger(Xunit.Abstractions.ITestOutputHelper output) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}: {formatter(state, exception)} {exception?.Message}");
            }
            catch (InvalidOperationException)
            {
                // The test has ended.
            }
        }
    }

    private sealed class InlineProgress(Action<PoolProgress> report) : IProgress<PoolProgress>
    {
        public void Report(PoolProgress value) => report(value);
    }
}
