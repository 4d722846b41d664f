using Multiprocessing.Tests.Support;
using Multiprocessing.Worker;

namespace Multiprocessing.Tests;

/// <summary>What only a pool of processes does: delegates must travel, crashes are contained.</summary>
public sealed class ProcessPoolTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private int _instanceField = 3;

    [Fact]
    public void Apply_CapturingLambda_ThrowsArgumentExceptionNamingTheVariable()
    {
        using var pool = new Pool(1);
        int offset = 10;
        var ex = Assert.Throws<ArgumentException>(() => pool.Apply(x => x + offset, 1));
        Assert.Contains("captures variables", ex.Message);
        Assert.Contains("offset", ex.Message);
        Assert.Contains("ThreadedPool", ex.Message);
        Assert.Equal(2, pool.Apply(Tasks.Identity, 2));
    }

    [Fact]
    public void Map_InstanceMethod_ThrowsArgumentException()
    {
        using var pool = new Pool(1);
        var ex = Assert.Throws<ArgumentException>(() => pool.Map(AddField, [1, 2]));
        Assert.Contains("instance method", ex.Message);
        var lambdaUsingThis = Assert.Throws<ArgumentException>(() => pool.Apply(x => x + _instanceField, 1));
        Assert.Contains("this", lambdaUsingThis.Message);
    }

    [Fact]
    public void Apply_UnserializableArgument_ThrowsAtTheCallAndPoolCarriesOn()
    {
        using var pool = new Pool(1);
        var ex = Assert.Throws<ArgumentException>(() => pool.Apply(Tasks.Echo<object>, new Func<int>(() => 1)));
        Assert.Contains("Func", ex.Message);
        Assert.Throws<ArgumentException>(() => pool.Map(Tasks.Echo<Func<int>>, [() => 1]));
        Assert.Equal(5, pool.Apply(Tasks.Identity, 5));
    }

    [Fact]
    public void Apply_UnserializableResult_FailsThatTaskWithTypeNameWorkerSurvives()
    {
        using var pool = new Pool(1);
        int pid = pool.Apply(Tasks.WorkerPid, 0);
        var ex = Assert.ThrowsAny<Exception>(() => pool.Apply(CrashTasks.ReturnDelegate, 0));
        Assert.Contains("could not be serialized", ex.Message);
        Assert.Equal(pid, pool.Apply(Tasks.WorkerPid, 0));
    }

    [Fact]
    public void Apply_ExceptionTypeNotRebuildable_ThrowsRemoteException()
    {
        using var pool = new Pool(1);
        var ex = Assert.Throws<RemoteException>(() => pool.Apply(Tasks.ThrowUnrebuildable, 7));
        Assert.Contains("UnrebuildableException", ex.RemoteType);
        Assert.Contains("code 7", ex.Message);
        Assert.Contains(nameof(Tasks.ThrowUnrebuildable), ex.RemoteStackTrace);
    }

    [Fact]
    public void Map_GenericStaticMethod_RunsInWorker()
    {
        using var pool = new Pool(2);
        Assert.Equal(["a", "b"], pool.Map(Tasks.Echo<string>, ["a", "b"]));
        Assert.Equal([1.5, 2.5], pool.Map(Tasks.Echo<double>, [1.5, 2.5]));
    }

    [Theory]
    [InlineData(nameof(CrashTasks.FailFast))]
    [InlineData(nameof(CrashTasks.ReadNull))]
    [InlineData(nameof(CrashTasks.KillSelf))]
    [InlineData(nameof(CrashTasks.Overflow))]
    public void Apply_WorkerCrashes_FailsOnlyThatTaskAndPoolCarriesOn(string how)
    {
        Func<int, int> crash = how switch
        {
            nameof(CrashTasks.FailFast) => CrashTasks.FailFast,
            nameof(CrashTasks.ReadNull) => CrashTasks.ReadNull,
            nameof(CrashTasks.KillSelf) => CrashTasks.KillSelf,
            _ => CrashTasks.Overflow,
        };
        using var pool = new Pool(2);
        var other = pool.MapAsync(Tasks.Square, Enumerable.Range(0, 100), 10);
        var ex = Assert.Throws<WorkerCrashedException>(() => pool.Apply(crash, 0));
        Assert.NotEqual(Environment.ProcessId, ex.ProcessId);
        Assert.Contains("replaced", ex.Message);
        Assert.Equal(Enumerable.Range(0, 100).Select(x => x * x), other.Get(Timeout));
        Assert.Equal(Enumerable.Range(0, 20), pool.Map(Tasks.Identity, Enumerable.Range(0, 20), 1));
    }

    [Fact]
    public void Apply_WorkerExits_ReportsExitCodeAndLastStderrLines()
    {
        using var pool = new Pool(1);
        var ex = Assert.Throws<WorkerCrashedException>(() => pool.Apply(CrashTasks.WriteToStderrThenExit, 3));
        Assert.Equal(3, ex.ExitCode);
        Assert.Contains("last words before exit", ex.LastStandardError);
        Assert.Equal(4, pool.Apply(Tasks.Square, 2));
    }

    [Fact]
    public void Map_OneItemCrashesWorker_MapFailsWithWorkerCrashed()
    {
        using var pool = new Pool(2);
        Assert.Throws<WorkerCrashedException>(() => pool.Map(CrashTasks.CrashOn, Enumerable.Range(0, 10), 1));
        var seen = new List<int>();
        Assert.Throws<WorkerCrashedException>(() =>
        {
            foreach (var r in pool.Imap(CrashTasks.CrashOn, Enumerable.Range(0, 10), 1))
            {
                seen.Add(r);
            }
        });
        Assert.Equal([0, 1, 2, 3, 4], seen);
        Assert.Equal(9, pool.Apply(Tasks.Square, 3));
    }

    [Fact]
    public void FollowUpTasks_EveryWorkerWaiting_PoolGrowsInsteadOfDeadlocking()
    {
        using var pool = new Pool(2);

        // Both workers run a task that waits for follow-up tasks: Python's pool would deadlock here.
        var results = pool.MapAsync(FollowUpTasks.SumOfSquares, [10, 20, 30], chunksize: 1);
        Assert.Equal([285, 2470, 8555], results.Get(Timeout));
    }

    [Fact]
    public void MaxConcurrencyPerWorker_AsyncTasks_RunTogetherInOneWorker()
    {
        string dir = Directory.CreateTempSubdirectory("mp-concurrency-").FullName;
        try
        {
            using var pool = new Pool(new PoolOptions { Processes = 1, MaxConcurrencyPerWorker = 4 });

            // Each task waits until all four have started: only concurrent execution in the one worker finishes.
            var pids = pool.Map(AsyncTasks.WaitForPeers, Enumerable.Range(0, 4).Select(i => (dir, i, 4)), chunksize: 4);
            Assert.Single(pids.Distinct());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void MaxConcurrencyPerWorker_AsyncStarmapTasks_RunTogetherInOneWorker()
    {
        string dir = Directory.CreateTempSubdirectory("mp-concurrency-").FullName;
        try
        {
            using var pool = new Pool(new PoolOptions { Processes = 1, MaxConcurrencyPerWorker = 4 });

            // As for Map: a task function of several arguments is awaited concurrently too.
            var pids = pool.Starmap(AsyncTasks.WaitForPeersStar, Enumerable.Range(0, 4).Select(i => (dir, i, 4)), chunksize: 4);
            Assert.Single(pids.Distinct());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Initializer_Throws_PoolBreaksAndEverySubmissionFailsFast()
    {
        using var pool = new Pool(new PoolOptions { Processes = 2, Initializer = Tasks.FailingInitializer });
        var ex = Assert.Throws<BrokenPoolException>(() => pool.Apply(Tasks.Square, 2));
        Assert.IsType<FormatException>(ex.InnerException);
        Assert.Contains("initializer says no", ex.Message);
        var later = pool.ApplyAsync(Tasks.Square, 3);
        Assert.True(later.Wait(Timeout));
        Assert.Throws<BrokenPoolException>(() => later.Get());
        pool.Close();
        Assert.True(pool.Join(Timeout));
    }

    [Fact]
    public void WorkerDiesBeforeReady_PoolBreaksInsteadOfRespawningForever()
    {
        using var pool = new Pool(new PoolOptions { Processes = 1, Initializer = Tasks.ExitingInitializer });
        var result = pool.ApplyAsync(Tasks.Square, 2);
        Assert.True(result.Wait(Timeout), "a pool whose workers cannot start must fail its tasks, not wait");
        var ex = Assert.Throws<BrokenPoolException>(() => result.Get());
        Assert.Contains("exited with code 5", ex.Message);
    }

    [Fact]
    public void Initializer_CapturingLambda_FailsAtConstruction()
    {
        string value = "x";
        var ex = Assert.Throws<ArgumentException>(() => new Pool(new PoolOptions { Processes = 1, Initializer = () => Tasks.Initialize(value) }));
        Assert.Contains("captures", ex.Message);
    }

    [Fact]
    public void Options_InitArgsWrongCount_FailsAtConstruction()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Pool(new PoolOptions { Processes = 1, Initializer = Tasks.Initialize, InitArgs = [] }));
        Assert.Contains("takes 1 argument(s)", ex.Message);
    }

    [Fact]
    public void Workers_RunWithTheirRuntimeDefaults_UnlessTheApplicationChoseOtherwise()
    {
        var fresh = new System.Diagnostics.ProcessStartInfo();
        fresh.Environment.Remove("DOTNET_TieredPGO");
        fresh.Environment.Remove("DOTNET_TC_CallCountThreshold");
        Multiprocessing.Workers.WorkerEnvironment.ApplyRuntimeDefaults(fresh);
        Assert.Equal("0", fresh.Environment["DOTNET_TieredPGO"]);
        Assert.Equal("1000", fresh.Environment["DOTNET_TC_CallCountThreshold"]);
        Assert.StartsWith("DOTNET_TieredPGO,DOTNET_TC_CallCountThreshold", fresh.Environment[Multiprocessing.Workers.WorkerEnvironment.RuntimeDefaults]);

        var chosen = new System.Diagnostics.ProcessStartInfo { Environment = { ["DOTNET_TC_CallCountThreshold"] = "30" } };
        chosen.Environment.Remove("DOTNET_TieredPGO");
        Multiprocessing.Workers.WorkerEnvironment.ApplyRuntimeDefaults(chosen);
        Assert.Equal("30", chosen.Environment["DOTNET_TC_CallCountThreshold"]);
        Assert.Equal("DOTNET_TieredPGO", chosen.Environment[Multiprocessing.Workers.WorkerEnvironment.RuntimeDefaults]!.Split(',')[0]);
    }

    [Fact]
    public void Workers_ForgetTheRuntimeDefaultsTheParentChose_SoProcessesTheirTasksStartDoNotInheritThem()
    {
        using var pool = new Pool(1);
        string[] names = ["DOTNET_TieredPGO", "DOTNET_TC_CallCountThreshold", Multiprocessing.Workers.WorkerEnvironment.RuntimeDefaults];
        string?[] expected = [.. names.Select(Environment.GetEnvironmentVariable).Take(2), null];
        Assert.Equal(expected, pool.Map(EnvironmentVariable, names).ToArray());
    }

    [Fact]
    public void AutoChunks_ShrinkOnlyUntilTheFunctionsCostIsMeasured()
    {
        using var pool = new Pool(1);
        var function = pool.Executor.Prepare<int, int>(Tasks.Square, Tasks.Square, "func");
        pool.AutoChunksize(1000, function, out bool measured);
        Assert.False(measured);

        Assert.Equal(Enumerable.Range(0, 1000).Select(x => x * x), pool.Map(Tasks.Square, Enumerable.Range(0, 1000)));

        pool.AutoChunksize(1000, function, out measured);
        Assert.True(measured);
    }

    [Fact]
    public void AutoChunksize_AfterAColdOneItemApply_IsStillPythonsRule()
    {
        // A warm-up Apply runs cold (JIT, first use of the serializer): its time is not the function's
        // cost, and a Map cut from it into 10 ms chunks would send thousands of tiny chunks.
        using var pool = new Pool(2);
        Assert.Equal(1, pool.Apply(Tasks.Identity, 1));
        Assert.Equal(2, pool.Apply(Tasks.Identity, 2));
        var function = pool.Executor.Prepare<int, int>(Tasks.Identity, Tasks.Identity, "func");
        int size = pool.AutoChunksize(2_000_000, function, out bool measured);
        Assert.False(measured);
        Assert.Equal(2_000_000 / (4 * pool.Processes), size);
    }

    [Fact]
    public void AutoChunksize_OfObjects_HoldsFewEnoughThatAChunksResultsDieYoung()
    {
        // Python's rule would cut 1 M words into chunks of 125,000: a worker would hold 125,000 result strings
        // at a time, long enough for the collector to copy them (the main job's workers used 0.4 s more CPU).
        using var pool = new Pool(2);
        var words = pool.Executor.Prepare<string, string>(Tasks.Echo, Tasks.Echo, "func");
        var ints = pool.Executor.Prepare<int, int>(Tasks.Identity, Tasks.Identity, "func");
        Assert.Equal(PoolBase.MaxAutoChunkOfObjects, pool.AutoChunksize(1_000_000, words));
        Assert.Equal(1_000_000 / (4 * pool.Processes), pool.AutoChunksize(1_000_000, ints));
        Assert.Equal(10, pool.AutoChunksize(80, words)); // below the cap, still Python's rule

        string[] input = [.. Enumerable.Range(0, 3 * PoolBase.MaxAutoChunkOfObjects).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(input, pool.Map(Tasks.Echo, input));
    }

    [Fact]
    public void AutoChunksize_AfterWarmExpensiveTasks_AimsAtAboutTenMillisecondsAChunk()
    {
        using var pool = new Pool(1);
        Assert.Equal([5, 5, 5], pool.Map(Tasks.Busy, [5, 5, 5], chunksize: 1)); // the first runs cold; two warm ones are 10 ms of evidence
        var function = pool.Executor.Prepare<int, int>(Tasks.Busy, Tasks.Busy, "func");
        int size = pool.AutoChunksize(1000, function, out bool measured);
        Assert.True(measured);
        Assert.InRange(size, 1, 2); // each task took at least 5 ms
    }

    [Fact]
    public void LargeGarbage_CollectsOnceLargeArraysAddUpToSixteenMegabytesAndToWhatIsAlive()
    {
        var garbage = new Multiprocessing.Worker.LargeGarbage();
        Assert.False(garbage.Add(0, () => 0));
        Assert.False(garbage.Add(10 << 20, () => 0));
        Assert.True(garbage.Add(6 << 20, () => 0));
        Assert.False(garbage.Add(10 << 20, () => 0));

        // A worker with 100 MB alive waits for 100 MB of large arrays: marking it costs less than they did.
        var busy = new Multiprocessing.Worker.LargeGarbage();
        Assert.False(busy.Add(64 << 20, () => 100 << 20));
        Assert.True(busy.Add(64 << 20, () => 100 << 20));
    }

    private static string? EnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);

    private int AddField(int x) => x + _instanceField;
}

[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

[Collection(nameof(ConsoleCapture))]
public sealed class ProcessPoolOutputTests
{
    [Fact]
    public void ConsoleWriteLine_InTask_ShowsUpInParentOutput()
    {
        string marker = "marker-" + Guid.NewGuid().ToString("N");
        var original = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(TextWriter.Synchronized(captured));
        try
        {
            using var pool = new Pool(1);
            pool.Apply(CrashTasks.Print, marker);

            // Output travels on its own pipe, line by line; wait (bounded) for the line to be forwarded.
            Assert.True(SpinWait.SpinUntil(() => captured.ToString().Contains(marker), TimeSpan.FromSeconds(30)), "the task's line never reached the parent's Console.Out");
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
