using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests;

/// <summary>
/// The behaviour every pool promises. Run against <see cref="Pool"/> (real worker processes), <see cref="ThreadedPool"/>
/// and <c>ClusterPool</c> (Cluster/ClusterPoolTests, which excludes the few that configure a local pool's workers by
/// overriding them, each with its reason). Every wait is bounded by <see cref="Timeout"/>.
/// </summary>
public abstract class PoolContractTests
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    protected abstract bool UsesProcesses { get; }

    protected abstract IPool CreatePool(PoolOptions options);

    protected IPool CreatePool(int processes = 2) => CreatePool(new PoolOptions { Processes = processes });

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Map_AnyChunksize_ReturnsResultsInInputOrder(int? chunksize)
    {
        using var pool = CreatePool();
        var results = pool.Map(Tasks.Square, Enumerable.Range(0, 100), chunksize);
        Assert.Equal(Enumerable.Range(0, 100).Select(x => x * x), results);
    }

    [Fact]
    public void Map_ExplicitChunksize_KeepsEachChunkTogetherInOneWorker()
    {
        using var pool = CreatePool(2);
        var indices = pool.Map(Tasks.WorkerIndex, Enumerable.Range(0, 60), chunksize: 6);
        for (int chunk = 0; chunk < 10; chunk++)
        {
            Assert.Single(indices.Skip(chunk * 6).Take(6).Distinct());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(10_000_000)]
    public void AutoChunksize_NeverMoreThanPythonsRule(int n)
    {
        using var pool = CreatePool(2);
        var poolBase = (PoolBase)pool;
        var function = new Multiprocessing.Dispatch.FunctionHandle<int, int>(Tasks.Square, Tasks.Square, null, 0);
        int size = poolBase.AutoChunksize(n, function);
        Assert.InRange(size, 1, Math.Max(1, (n + 7) / 8));
        Assert.True(size <= 262_144);
    }

    [Fact]
    public void AutoChunks_ShrinkTowardsTheEnd_NeverBelowAnEighthOfTheAutomaticSize()
    {
        using var pool = CreatePool(2);
        var poolBase = (PoolBase)pool;
        var sizes = new List<int>();
        for (int remaining = 2000; remaining > 0;)
        {
            int size = Math.Min(remaining, poolBase.GuidedChunk(remaining, 250));
            sizes.Add(size);
            remaining -= size;
        }

        Assert.Equal(250, sizes[0]);
        Assert.Equal(2000, sizes.Sum());
        Assert.All(sizes.Zip(sizes.Skip(1)), pair => Assert.True(pair.Second <= pair.First, $"{pair.Second} after {pair.First}"));
        Assert.All(sizes.SkipLast(1), size => Assert.InRange(size, 31, 250));
        Assert.True(sizes[^2] < 100, "the last chunks are no smaller than the first");
    }

    [Fact]
    public void Map_EmptyInput_ReturnsEmptyList()
    {
        using var pool = CreatePool();
        Assert.Empty(pool.Map(Tasks.Square, Array.Empty<int>()));
    }

    [Fact]
    public void Map_ChunksizeBelowOne_ThrowsAndRunsNothing()
    {
        using var pool = CreatePool();
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Map(Tasks.Square, [1, 2], chunksize: 0));
        Assert.Equal(4, pool.Apply(Tasks.Square, 2));
    }

    [Fact]
    public void MapAsync_Success_CallsCallbackOnceWithWholeList()
    {
        using var pool = CreatePool();
        var calls = 0;
        var seen = new TaskCompletionSource<IReadOnlyList<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = pool.MapAsync(Tasks.Square, Enumerable.Range(0, 20), chunksize: 3, callback: list =>
        {
            Interlocked.Increment(ref calls);
            seen.TrySetResult(list);
        });
        Assert.Equal(Enumerable.Range(0, 20).Select(x => x * x), result.Get(Timeout));
        Assert.True(seen.Task.Wait(Timeout));
        Assert.Equal(Enumerable.Range(0, 20).Select(x => x * x), seen.Task.Result);
        pool.Close();
        Assert.True(pool.Join(Timeout));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void ApplyAsync_Success_CallsCallbackWithValue()
    {
        using var pool = CreatePool();
        var seen = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = pool.ApplyAsync(Tasks.Square, 9, callback: v => seen.TrySetResult(v));
        Assert.Equal(81, result.Get(Timeout));
        Assert.True(seen.Task.Wait(Timeout));
        Assert.Equal(81, seen.Task.Result);
        Assert.True(result.IsReady);
        Assert.True(result.IsSuccessful);
    }

    [Fact]
    public void Apply_EveryArity_ReturnsResult()
    {
        using var pool = CreatePool();
        Assert.Equal(42, pool.Apply(Tasks.FortyTwo));
        Assert.Equal(49, pool.Apply(Tasks.Square, 7));
        Assert.Equal(5, pool.Apply(Tasks.Add, 2, 3));
        Assert.Equal("a-1-2.5", pool.Apply(Tasks.Concat3, "a", 1, 2.5));
        Assert.Equal(10L, pool.Apply(Tasks.Sum4, 1, 2L, (short)3, (byte)4));
        Assert.Equal(3, pool.Apply(static (int a, int b) => a + b, 1, 2));
    }

    [Fact]
    public void Apply_ActionForms_RunInWorker()
    {
        using var pool = CreatePool();
        string dir = Directory.CreateTempSubdirectory("mp-actions-").FullName;
        try
        {
            pool.Apply(Tasks.Nothing);
            pool.Apply(Tasks.WriteFile, Path.Combine(dir, "1"));
            pool.Apply(Tasks.WriteFile2, Path.Combine(dir, "2"), "two");
            pool.Apply(Tasks.WriteFile3, Path.Combine(dir, "3"), "three", 3);
            pool.Apply(Tasks.WriteFile4, Path.Combine(dir, "4"), "four", 4, true);
            Assert.Null(pool.ApplyAsync(Tasks.WriteFile2, Path.Combine(dir, "5"), "five").Get(Timeout));
            Assert.Equal("done", File.ReadAllText(Path.Combine(dir, "1")));
            Assert.Equal("two", File.ReadAllText(Path.Combine(dir, "2")));
            Assert.Equal("three3", File.ReadAllText(Path.Combine(dir, "3")));
            Assert.Equal("four4True", File.ReadAllText(Path.Combine(dir, "4")));
            Assert.Equal("five", File.ReadAllText(Path.Combine(dir, "5")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Starmap_PairsAndTriples_ReturnResultsInOrder()
    {
        using var pool = CreatePool();
        var pairs = Enumerable.Range(0, 50).Select(i => (i, i * 10)).ToList();
        Assert.Equal(pairs.Select(p => p.Item1 + p.Item2), pool.Starmap(Tasks.Add, pairs, chunksize: 4));
        var triples = new[] { ("x", 1, 0.5), ("y", 2, 1.5) };
        Assert.Equal(["x-1-0.5", "y-2-1.5"], pool.Starmap(Tasks.Concat3, triples));
        var seen = new TaskCompletionSource<IReadOnlyList<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var async = pool.StarmapAsync(Tasks.Add, pairs, callback: r => seen.TrySetResult(r));
        Assert.Equal(pairs.Select(p => p.Item1 + p.Item2), async.Get(Timeout));
        Assert.True(seen.Task.Wait(Timeout));
        Assert.Equal(["x-1-0.5", "y-2-1.5"], pool.StarmapAsync(Tasks.Concat3, triples).Get(Timeout));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Imap_FiniteInput_YieldsInInputOrder(int chunksize)
    {
        using var pool = CreatePool();
        Assert.Equal(Enumerable.Range(0, 200).Select(x => x * x), pool.Imap(Tasks.Square, Enumerable.Range(0, 200), chunksize).ToList());
    }

    [Fact]
    public void ImapUnordered_FiniteInput_YieldsEveryResult()
    {
        using var pool = CreatePool();
        var results = pool.ImapUnordered(Tasks.Square, Enumerable.Range(0, 200), 3).ToList();
        Assert.Equal(Enumerable.Range(0, 200).Select(x => x * x), results.Order());
    }

    [Fact]
    public void Imap_InfiniteInput_ReadsLazily()
    {
        using var pool = CreatePool();
        Assert.Equal(Enumerable.Range(0, 5000), pool.Imap(Tasks.Identity, Tasks.Naturals(), 10).Take(5000).ToList());
    }

    [Fact]
    public void ImapUnordered_WaitForFirst_ReturnsBeforeOthersFinish()
    {
        using var gate = new Gate();
        var pool = CreatePool();
        try
        {
            // Every task but item 0 waits for a gate that opens only after the first result came back:
            // getting that result proves ImapUnordered hands out results as they complete.
            var pairs = Enumerable.Range(0, 8).Select(i => (i, gate.Path)).ToList();
            var first = pool.ImapUnordered(static ((int X, string Gate) p) => Tasks.FirstFastOthersGated(p.X, p.Gate), pairs, 1).First();
            Assert.Equal(0, first);
        }
        finally
        {
            // Python's "wait for first" pattern: leave the pool's with-block, which terminates the rest.
            pool.Dispose();
            gate.Open();
        }
    }

    [Fact]
    public void ImapUnordered_FastTaskBehindASlowOne_ComesFirstOnAFreshPool()
    {
        // The guide's "first result": [slow, fast, slow, slow] on a fresh Pool(2). The worker that connects
        // first must not hold the fast task behind its slow one while the other worker is still starting.
        var pool = CreatePool(2);
        using var gate = new Gate();
        try
        {
            var pairs = new[] { 3, 0, 5, 7 }.Select(i => (i, gate.Path)).ToList();
            var first = System.Threading.Tasks.Task.Run(() => pool.ImapUnordered(static ((int X, string Gate) p) => Tasks.FirstFastOthersGated(p.X, p.Gate), pairs, 1).First());
            Assert.True(first.Wait(Timeout), "no first result");
            Assert.Equal(0, first.Result);
        }
        finally
        {
            pool.Dispose();
            gate.Open();
        }
    }

    [Fact]
    public void Imap_TaskThrows_YieldsEarlierItemsThenThrowsAtThatElement()
    {
        using var pool = CreatePool();
        var seen = new List<int>();
        var ex = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var r in pool.Imap(Tasks.FailOn, Enumerable.Range(0, 10), 1))
            {
                seen.Add(r);
            }
        });
        Assert.Equal([0, 1, 2], seen);
        Assert.Equal("bad item 3", ex.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)] // CPython drops the unfinished chunk here: items 1 and 2 would never be yielded
    public void Imap_InputThrows_YieldsEarlierItemsThenThrows(int chunksize)
    {
        using var pool = CreatePool();
        static IEnumerable<int> Broken()
        {
            yield return 1;
            yield return 2;
            throw new InvalidDataException("input broke");
        }

        var seen = new List<int>();
        Assert.Throws<InvalidDataException>(() =>
        {
            foreach (var r in pool.Imap(Tasks.Identity, Broken(), chunksize))
            {
                seen.Add(r);
            }
        });
        Assert.Equal([1, 2], seen);
    }

    [Fact]
    public void Apply_TaskThrows_RethrowsOriginalTypeAndMessage()
    {
        using var pool = CreatePool();
        var ex = Assert.Throws<KeyNotFoundException>(() => pool.Apply(Tasks.Throw, "no such key"));
        Assert.Equal("no such key", ex.Message);
        Assert.Equal(7, pool.Apply(Tasks.Identity, 7));
    }

    [Fact]
    public void Map_OneTaskThrows_RethrowsIt()
    {
        using var pool = CreatePool();
        var ex = Assert.Throws<InvalidOperationException>(() => pool.Map(Tasks.FailOn, Enumerable.Range(0, 10), 2));
        Assert.Equal("bad item 3", ex.Message);
        Assert.Throws<InvalidOperationException>(() => pool.Starmap(static (int a, int b) => Tasks.FailOn(a + b), [(1, 1), (1, 2)]));
    }

    [Fact]
    public void Apply_CustomException_KeepsTypeInnerAndData()
    {
        using var pool = CreatePool();
        var ex = Assert.Throws<CustomTaskException>(() => pool.Apply(Tasks.ThrowCustom, 5));
        Assert.Equal("custom failure 5", ex.Message);
        Assert.IsType<ArgumentException>(ex.InnerException);
        Assert.Equal("inner cause", ex.InnerException!.Message);
        Assert.Equal("5", ex.Data["code"]?.ToString());
        Assert.Contains(nameof(Tasks.ThrowCustom), ex.StackTrace);
    }

    [Fact]
    public void ApplyAsync_TaskThrows_FailsResultAndCallsErrorCallbackOnce()
    {
        using var pool = CreatePool();
        var errors = 0;
        var seen = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var called = false;
        var result = pool.ApplyAsync(Tasks.Throw, "boom", callback: _ => called = true, errorCallback: e =>
        {
            Interlocked.Increment(ref errors);
            seen.TrySetResult(e);
        });
        Assert.True(result.Wait(Timeout));
        Assert.True(result.IsReady);
        Assert.False(result.IsSuccessful);
        Assert.Throws<KeyNotFoundException>(() => result.Get());
        Assert.True(seen.Task.Wait(Timeout));
        Assert.IsType<KeyNotFoundException>(seen.Task.Result);
        pool.Close();
        Assert.True(pool.Join(Timeout));
        Assert.Equal(1, errors);
        Assert.False(called);
    }

    [Fact]
    public void MapAsync_TaskThrows_CallsErrorCallbackOnce()
    {
        using var pool = CreatePool();
        var errors = 0;
        var result = pool.MapAsync(Tasks.FailOn, Enumerable.Range(0, 10), 1, errorCallback: _ => Interlocked.Increment(ref errors));
        Assert.True(result.Wait(Timeout));
        Assert.False(result.IsSuccessful);
        pool.Close();
        Assert.True(pool.Join(Timeout));
        Assert.Equal(1, errors);
    }

    [Fact]
    public void Callback_Throws_ResultStillCompletesEventRaisedAndPoolKeepsWorking()
    {
        using var pool = CreatePool();
        var reported = new TaskCompletionSource<CallbackFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        pool.CallbackFailed += (_, e) => reported.TrySetResult(e);
        var result = pool.ApplyAsync(Tasks.Square, 3, callback: _ => throw new InvalidCastException("callback broke"));
        Assert.Equal(9, result.Get(Timeout));
        Assert.True(reported.Task.Wait(Timeout));
        Assert.IsType<InvalidCastException>(reported.Task.Result.Exception);
        Assert.False(reported.Task.Result.IsErrorCallback);
        Assert.Equal(16, pool.Apply(Tasks.Square, 4));
        var error = pool.ApplyAsync(Tasks.Throw, "x", errorCallback: _ => throw new InvalidCastException("error callback broke"));
        Assert.True(error.Wait(Timeout));
        pool.Close();
        Assert.True(pool.Join(Timeout));
    }

    [Fact]
    public void Map_ProgressSinkThrows_ResultsCompleteEventRaisedAndPoolKeepsWorking()
    {
        using var pool = CreatePool();
        var reported = new TaskCompletionSource<CallbackFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        pool.CallbackFailed += (_, e) => reported.TrySetResult(e);
        var sink = new InlineProgress(_ => throw new InvalidCastException("progress sink broke"));
        Assert.Equal([1, 4, 9], pool.Map(Tasks.Square, [1, 2, 3], progress: sink));
        Assert.True(reported.Task.Wait(Timeout));
        Assert.IsType<InvalidCastException>(reported.Task.Result.Exception);
        Assert.Equal([1, 4, 9], pool.Imap(Tasks.Square, [1, 2, 3], chunksize: 1, progress: sink));
        Assert.Equal(16, pool.Apply(Tasks.Square, 4));
    }

    [Fact]
    public void Callback_Slow_DelaysOnlyItsOwnResult()
    {
        using var pool = CreatePool();
        using var release = new ManualResetEventSlim(false);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = pool.ApplyAsync(Tasks.Square, 2, callback: _ =>
        {
            entered.TrySetResult();
            release.Wait(Timeout);
        });
        Assert.True(entered.Task.Wait(Timeout));
        Assert.False(slow.IsReady); // ready only once its callback has run, as in Python
        Assert.Equal(25, pool.ApplyAsync(Tasks.Square, 5).Get(Timeout));
        Assert.Equal(Enumerable.Range(0, 10), pool.Map(Tasks.Identity, Enumerable.Range(0, 10)));
        release.Set();
        Assert.Equal(4, slow.Get(Timeout));
    }

    [Fact]
    public void Callback_Throws_ReportedBeforeGetReturns()
    {
        using var pool = CreatePool();
        Exception? reported = null;
        pool.CallbackFailed += (_, e) => reported = e.Exception;
        Assert.Equal(9, pool.ApplyAsync(Tasks.Square, 3, callback: _ => throw new InvalidCastException("callback broke")).Get(Timeout));
        Assert.IsType<InvalidCastException>(reported);
    }

    [Fact]
    public void Imap_ProgressSinkWaitsForTheConsumer_DoesNotBlockIt()
    {
        // A progress sink is user code: it must run outside the stream's lock, or a sink that waits for the
        // consumer (a UI thread, say) would deadlock with it.
        // The event outlives the pool: the final report may come after the consumer has its last result.
        using var consumed = new ManualResetEventSlim(false);
        using var pool = CreatePool(1);
        int waitedInVain = 0;
        var sink = new InlineProgress(_ =>
        {
            if (!consumed.Wait(Timeout))
            {
                Interlocked.Increment(ref waitedInVain);
            }
        });
        using var e = pool.Imap(Tasks.Square, [1, 2, 3], chunksize: 1, progress: sink).GetEnumerator();
        Assert.True(e.MoveNext());
        consumed.Set();
        Assert.Equal(1, e.Current);
        Assert.True(e.MoveNext());
        Assert.True(e.MoveNext());
        Assert.False(e.MoveNext());
        Assert.Equal(0, waitedInVain);
    }

    private sealed class InlineProgress(Action<PoolProgress> report) : IProgress<PoolProgress>
    {
        public void Report(PoolProgress value) => report(value);
    }

    /// <summary>A task naming the worker it ran on (a cluster's: the silo process, whose own workers may be replaced).</summary>
    protected virtual Func<int, int> WorkerIdentity => Tasks.WorkerIndex;

    [Fact]
    public virtual void Resize_Grow_TheNewWorkersRunTasksAtOnce()
    {
        using var pool = CreatePool(1);
        pool.Resize(3);
        Assert.Equal(3, pool.Processes);
        string folder = Directory.CreateTempSubdirectory("mp-resize-").FullName;
        try
        {
            // Each task waits until three run at the same time: only three workers can finish them.
            var tasks = Enumerable.Repeat((folder, 3), 3).ToList();
            Assert.Equal([3, 3, 3], pool.Map(static ((string Folder, int Parties) p) => Tasks.ArriveAndWaitForAll(p.Folder, p.Parties), tasks, chunksize: 1));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public virtual void Resize_Shrink_SurplusWorkersTakeNoNewWorkAndNothingIsLost()
    {
        using var pool = CreatePool(3);
        var running = pool.MapAsync(Tasks.Square, Enumerable.Range(0, 300), chunksize: 1);
        pool.Resize(1);
        Assert.Equal(1, pool.Processes);
        Assert.Equal(Enumerable.Range(0, 300).Select(x => x * x), running.Get(Timeout));
        var workers = pool.Map(WorkerIdentity, Enumerable.Range(0, 40), chunksize: 1).Distinct().ToList();
        Assert.Single(workers);
        pool.Resize(2);
        Assert.Equal(2, pool.Processes);
        Assert.Equal(Enumerable.Range(0, 20).Select(x => x * x), pool.Map(Tasks.Square, Enumerable.Range(0, 20)));
        pool.Close();
        Assert.True(pool.Join(Timeout));
    }

    [Fact]
    public void Resize_OutOfRangeOrClosed_Throws()
    {
        using var pool = CreatePool(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Resize(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Resize(PoolDefaults.MaxProcesses + 1));
        pool.Close();
        Assert.Throws<InvalidOperationException>(() => pool.Resize(2));
    }

    [Fact]
    public void MapAsync_Callback_HasRunWhenGetReturns()
    {
        // CPython's test_map_async_callbacks: what the callback collected is there right after get().
        using var pool = CreatePool();
        var collected = new List<int>();
        var result = pool.MapAsync(Tasks.Square, Enumerable.Range(0, 10), chunksize: 2, callback: list => collected.AddRange(list));
        result.Get(Timeout);
        Assert.Equal(Enumerable.Range(0, 10).Select(x => x * x), collected);
    }

    [Fact]
    public void ApplyAsync_ErrorCallback_HasRunWhenWaitReturns()
    {
        // CPython's test_async_error_callback.
        using var pool = CreatePool();
        Exception? seen = null;
        var result = pool.ApplyAsync(Tasks.Throw, "boom", errorCallback: e => seen = e);
        Assert.True(result.Wait(Timeout));
        Assert.IsType<KeyNotFoundException>(seen);
    }

    [Fact]
    public void Get_InCallbackOnAResultWithItsOwnCallback_ThrowsInsteadOfDeadlocking()
    {
        using var pool = CreatePool();
        var inner = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        AsyncResult<int>? second = null;
        using var issued = new ManualResetEventSlim(false);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = pool.ApplyAsync(Tasks.Square, 2, callback: _ =>
        {
            entered.TrySetResult();
            issued.Wait(Timeout);
            try
            {
                second!.Get(Timeout);
                inner.TrySetResult(null);
            }
            catch (Exception ex)
            {
                inner.TrySetResult(ex);
            }
        });
        Assert.True(entered.Task.Wait(Timeout)); // the callback thread is busy with first's callback from now on
        second = pool.ApplyAsync(Tasks.Square, 3, callback: _ => { });
        issued.Set();
        Assert.True(inner.Task.Wait(Timeout));
        Assert.IsType<InvalidOperationException>(inner.Task.Result); // second's callback runs on this thread, after this one

        Assert.Equal(4, first.Get(Timeout));
        Assert.Equal(9, second.Get(Timeout));
    }

    [Fact]
    public virtual void Initializer_RunsOncePerWorkerBeforeTasks()
    {
        using var pool = CreatePool(new PoolOptions { Processes = 2, Initializer = Tasks.Initialize, InitArgs = ["ready"] });
        var results = pool.Map(Tasks.ReadInitialized, Enumerable.Range(0, 20), 1);
        Assert.All(results, r => Assert.Equal("ready", r));
        using var two = CreatePool(new PoolOptions { Processes = 1, Initializer = Tasks.InitializeTwo, InitArgs = ["n", 7] });
        Assert.Equal("n7", two.Apply(Tasks.ReadInitialized, 0));
    }

    [Fact]
    public virtual void StaticState_PersistsAcrossTasksInOneWorker()
    {
        using var pool = CreatePool(new PoolOptions { Processes = 1, Initializer = Tasks.Initialize, InitArgs = ["x"] });
        Assert.Equal(Enumerable.Range(1, 10), pool.Map(Tasks.CountOnWorker, Enumerable.Range(0, 10), 1));
    }

    [Fact]
    public virtual void MaxTasksPerChild_ReplacesWorkerAndRunsInitializerAgain()
    {
        using var pool = CreatePool(new PoolOptions { Processes = 1, MaxTasksPerChild = 2, Initializer = Tasks.Initialize, InitArgs = ["fresh"] });
        var results = pool.Map(Tasks.InitAndWorker, Enumerable.Range(0, 6), 1);
        Assert.Equal(6, results.Count);
        Assert.All(results, r => Assert.Equal("fresh", r.Init));
        Assert.Equal(3, results.Select(r => r.Worker).Distinct().Count());
        Assert.All(results.GroupBy(r => r.Worker), g => Assert.Equal(2, g.Count()));
        if (UsesProcesses)
        {
            Assert.Equal(3, results.Select(r => r.Pid).Distinct().Count());
        }
    }

    [Fact]
    public void Close_LaterSubmissionsThrowIssuedTasksFinish()
    {
        var pool = CreatePool();
        var pending = pool.MapAsync(Tasks.Square, Enumerable.Range(0, 50), 1);
        pool.Close();
        Assert.Throws<InvalidOperationException>(() => pool.Apply(Tasks.Square, 1));
        Assert.Throws<InvalidOperationException>(() => pool.Map(Tasks.Square, [1]));
        Assert.True(pool.Join(Timeout));
        Assert.True(pending.IsReady);
        Assert.Equal(Enumerable.Range(0, 50).Select(x => x * x), pending.Get());
        pool.Dispose();
    }

    [Fact]
    public void Close_ImapStillRunning_FinishesBeforeJoinReturns()
    {
        using var pool = CreatePool();
        var stream = pool.Imap(Tasks.Square, Enumerable.Range(0, 300), 2);
        pool.Close();
        Assert.Equal(Enumerable.Range(0, 300).Select(x => x * x), stream.ToList());
        Assert.True(pool.Join(Timeout));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Join_AfterCloseWithUnconsumedImap_ReturnsAndTheConsumerGetsTheIssuedResultsThenAClearError(bool async)
    {
        using var pool = CreatePool();
        var stream = async ? pool.ImapAsync(Tasks.Square, Generate(5000)).ToBlockingEnumerable() : pool.Imap(Tasks.Square, Generate(5000));
        pool.Close();
        Assert.True(pool.Join(Timeout), "Join waited for input nobody consumed");

        var seen = new List<int>();
        var ex = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (int x in stream)
            {
                seen.Add(x);
            }
        });
        Assert.Contains("Join()", ex.Message);
        Assert.Contains($"after {seen.Count} items", ex.Message);
        Assert.InRange(seen.Count, 1, 4999);
        Assert.Equal(Enumerable.Range(0, seen.Count).Select(x => x * x), seen);
    }

    [Fact]
    public void Join_AfterCloseWithShortUnconsumedImap_WaitsAndKeepsEveryResult()
    {
        // Input that fits in the read-ahead is read to its end: only input nobody consumes is cut.
        using var pool = CreatePool();
        var stream = pool.Imap(Tasks.Square, Generate(100));
        pool.Close();
        Assert.True(pool.Join(Timeout));
        Assert.Equal(Enumerable.Range(0, 100).Select(x => x * x), stream.ToList());
    }

    [Fact]
    public void Join_AfterCloseWithShortUnconsumedImapOverAnArray_WaitsAndKeepsEveryResult()
    {
        // A known length with automatic chunks (one item each until the cost is measured) reads as far ahead.
        using var pool = CreatePool();
        var stream = pool.Imap(Tasks.Square, Enumerable.Range(0, 1000).ToArray());
        pool.Close();
        Assert.True(pool.Join(Timeout));
        Assert.Equal(Enumerable.Range(0, 1000).Select(x => x * x), stream.ToList());
    }

    [Fact]
    public virtual void AnyCall_ChunksizeIntMaxValue_ReturnsEveryResultAndTheParentSurvives()
    {
        // A chunksize of int.MaxValue once killed the process (a buffer of that size) or overflowed: run it in a child.
        using var child = new Pool(1);
        Assert.Equal("ok", child.ApplyAsync(RobustTasks.HugeChunksize, UsesProcesses).Get(Timeout));
    }

    [Fact]
    public virtual void Imap_InputsEnumeratorThrows_ConsumerGetsThatExceptionAndTheParentSurvives()
    {
        // Once an exception the feeder did not expect ended its thread, and so the process: run it in a child.
        using var child = new Pool(1);
        string[] report = child.ApplyAsync(RobustTasks.FeederFailures, UsesProcesses).Get(Timeout).Split('\n');
        Assert.Equal(["FormatException: no enumerator today", "FormatException: no enumerator today", "FormatException: no enumerator today", "9"], report);
    }

    [Fact]
    public void Strings_RandomUtf16WithLoneSurrogates_RoundTripExactlyEveryWay()
    {
        string[] strings = RandomStrings.Make(300);
        using var pool = CreatePool();

        // As an argument and a result, as Map and Imap items, inside object, record, list, dictionary and tuple values.
        foreach (string s in strings)
        {
            Assert.Equal(s, pool.Apply(Tasks.Echo<string>, s));
        }

        Assert.Equal(strings, pool.Map(Tasks.Echo<string>, strings, 7));
        Assert.Equal(strings, pool.Map(Tasks.Echo<string>, strings));
        Assert.Equal(strings, pool.Imap(Tasks.Echo<string>, strings, 5).ToList());
        Assert.Equal(strings, pool.Apply(Tasks.Echo<string[]>, strings));
        Assert.Equal(strings, pool.Apply(Tasks.Echo<object?[]>, strings.Cast<object?>().ToArray()));
        Assert.Equal(strings, pool.Apply(Tasks.Echo<List<string>>, strings.ToList()));
        var records = strings.Select((s, i) => new TextRecord(s, i, [s, s])).ToArray();
        Assert.Equal(records.Select(r => (r.Text, r.Parts[1])), pool.Map(Tasks.Echo<TextRecord>, records, 9).Select(r => (r.Text, r.Parts[1])));
        var byKey = strings.Distinct().ToDictionary(s => s, s => s + "!");
        Assert.Equal(byKey, pool.Apply(Tasks.Echo<Dictionary<string, string>>, byKey));
        Assert.Equal(strings, pool.Map(Tasks.Echo<(int, string)>, strings.Select((s, i) => (i, s)), 11).Select(p => p.Item2));
        Assert.Equal(strings, pool.Starmap(Concat, strings.Select(s => (s, s)), 13).Select(c => c[..(c.Length / 2)]));

        // As an exception's message.
        foreach (string s in strings.Take(60))
        {
            var ex = Assert.Throws<KeyNotFoundException>(() => pool.Apply(Tasks.Throw, s));
            Assert.Equal(s, ex.Message);
        }
    }

    public sealed record TextRecord(string Text, int Index, string[] Parts);

    private static string Concat(string a, string b) => a + b;

    private static IEnumerable<int> Generate(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return i;
        }
    }

    [Fact]
    public void Join_PoolRunning_Throws()
    {
        using var pool = CreatePool();
        Assert.Throws<InvalidOperationException>(() => pool.Join(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Terminate_PendingResultsFailPromptly()
    {
        using var gate = new Gate();
        var pool = CreatePool();
        try
        {
            var blocked = Enumerable.Range(0, 4).Select(_ => pool.ApplyAsync(Tasks.WaitForGate, gate.Path)).ToList();
            var imap = pool.Imap(Tasks.WaitForGate, Enumerable.Repeat(gate.Path, 4), 1);
            Assert.False(blocked[0].IsReady);
            pool.Terminate();
            foreach (var r in blocked)
            {
                Assert.True(r.Wait(Timeout));
                Assert.Throws<PoolTerminatedException>(() => r.Get());
            }

            Assert.Throws<PoolTerminatedException>(() => imap.ToList());
            Assert.True(pool.Join(Timeout));
        }
        finally
        {
            gate.Open();
            pool.Dispose();
        }
    }

    [Fact]
    public void Dispose_EveryLaterCallThrowsObjectDisposed()
    {
        var pool = CreatePool();
        Assert.Equal(1, pool.Apply(Tasks.Identity, 1));
        pool.Dispose();
        pool.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Apply(Tasks.Identity, 1));
        Assert.Throws<ObjectDisposedException>(() => pool.Map(Tasks.Identity, [1]));
        Assert.Throws<ObjectDisposedException>(() => pool.Imap(Tasks.Identity, [1]));
        Assert.Throws<ObjectDisposedException>(() => pool.Close());
    }

    [Fact]
    public void Join_AfterDispose_ReturnsAtOnce()
    {
        // Ported Python code joins after its with block (CPython test_context).
        var pool = CreatePool();
        Assert.Equal(1, pool.Apply(Tasks.Identity, 1));
        pool.Dispose();
        pool.Join();
        Assert.True(pool.Join(TimeSpan.Zero));
    }

    [Fact]
    public async Task DisposeAsync_TerminatesWithoutBlocking()
    {
        var pool = CreatePool();
        Assert.Equal(4, await pool.ApplyAsync(Tasks.Square, 2));
        await pool.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => pool.Apply(Tasks.Identity, 1));
    }

    [Fact]
    public void AsyncResult_NotReady_GetTimesOutAndIsSuccessfulThrows()
    {
        using var gate = new Gate();
        using var pool = CreatePool();
        var result = pool.ApplyAsync(Tasks.WaitForGate, gate.Path);
        Assert.False(result.IsReady);
        Assert.Throws<InvalidOperationException>(() => result.IsSuccessful);
        Assert.Throws<TimeoutException>(() => result.Get(TimeSpan.FromMilliseconds(50)));
        Assert.False(result.Wait(TimeSpan.FromMilliseconds(10)));
        gate.Open();
        Assert.Equal(1, result.Get(Timeout));
        Assert.True(result.IsSuccessful);
    }

    [Fact]
    public async Task AsyncResult_Awaitable_WorksWithWhenAllAndWhenAny()
    {
        using var pool = CreatePool();
        var results = Enumerable.Range(0, 10).Select(i => pool.ApplyAsync(Tasks.Square, i)).ToList();
        var all = await Task.WhenAll(results.Select(r => r.AsTask())).WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(0, 10).Select(x => x * x), all);
        var any = await Task.WhenAny(results.Select(r => r.AsTask())).WaitAsync(Timeout);
        Assert.True(any.IsCompletedSuccessfully);
        Assert.Equal(9, await results[3]);
    }

    [Fact]
    public void Apply_LargeArrays_RoundTripExactly()
    {
        using var pool = CreatePool(1);
        byte[] bytes = Tasks.MakeBytes(1, (5 << 20) + 3);
        byte[] reversed = pool.Apply(Tasks.Reverse, bytes);
        Assert.Equal(bytes.Length, reversed.Length);
        Exact.Equal(bytes.Reverse(), reversed);

        long[] longs = [.. Enumerable.Range(0, 1 << 20).Select(i => (long)i * 3)];
        Exact.Equal(longs.Select(v => v + 1), pool.Apply(Tasks.Increment, longs));

        // Again, the other way round in size: a small argument, a large result.
        Exact.Equal(Tasks.MakeBytes(9, 4 << 20), pool.Apply(Tasks.MakeBytes, 9, 4 << 20));
    }

    [Fact]
    public virtual void Map_ManyLargeArraysInFlight_EachComesBackToItsPlace()
    {
        // Several 3 MB arguments and results in flight per worker at once, more in all than a ring holds.
        using var pool = CreatePool(2);
        var inputs = Enumerable.Range(0, 24).Select(i => Tasks.MakeBytes(i, (3 << 20) + i)).ToList();
        var results = pool.Map(Tasks.Reverse, inputs, chunksize: 1);
        for (int i = 0; i < inputs.Count; i++)
        {
            Exact.Equal(inputs[i].Reverse(), results[i]);
        }

        var made = pool.Starmap(Tasks.MakeBytes, Enumerable.Range(0, 12).Select(i => (i, (2 << 20) + i)));
        Assert.Equal(12, made.Count);
        for (int i = 0; i < made.Count; i++)
        {
            Exact.Equal(Tasks.MakeBytes(i, (2 << 20) + i), made[i]);
        }
    }

    [Fact]
    public virtual void Options_Invalid_OneExceptionListsEveryProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreatePool(new PoolOptions { Processes = 0, MaxTasksPerChild = -1, InitArgs = ["x"] }));
        Assert.Contains("Processes must be at least 1", ex.Message);
        Assert.Contains("MaxTasksPerChild", ex.Message);
        Assert.Contains("InitArgs were given without an Initializer", ex.Message);
        Assert.Throws<ArgumentException>(() => CreatePool(new PoolOptions { Processes = -3 }));
    }

    [Fact]
    public void Arguments_CommonTypes_RoundTrip()
    {
        using var pool = CreatePool(1);
        T Trip<T>(T value) => pool.Apply(Tasks.Echo<T>, value);
        Assert.Equal("héllo", Trip("héllo"));
        Assert.Null(Trip<string?>(null));
        Assert.Equal(int.MinValue, Trip(int.MinValue));
        Assert.Equal(3.25, Trip(3.25));
        Assert.Equal(12.5m, Trip(12.5m));
        Assert.Equal(Colour.Blue, Trip(Colour.Blue));
        var now = new DateTime(2026, 11, 24, 10, 30, 0, DateTimeKind.Utc);
        Assert.Equal(now, Trip(now));
        var offset = new DateTimeOffset(2026, 11, 24, 10, 30, 0, TimeSpan.FromHours(2));
        Assert.Equal(offset, Trip(offset));
        var guid = Guid.NewGuid();
        Assert.Equal(guid, Trip(guid));
        Assert.Equal([1, 2, 3], Trip(new[] { 1, 2, 3 }));
        Assert.Equal(new byte[] { 0, 255, 7 }, Trip(new byte[] { 0, 255, 7 }));
        Assert.Equal(new List<string> { "a", "b" }, Trip(new List<string> { "a", "b" }));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1 }, Trip(new Dictionary<string, int> { ["a"] = 1 }));
        Assert.Equal(new HashSet<int> { 4, 5 }, Trip(new HashSet<int> { 4, 5 }));
        Assert.Equal((1, "two"), Trip((1, "two")));
        Assert.Equal(Tuple.Create(1, "x"), Trip(Tuple.Create(1, "x")));
        Assert.Equal(new Point(3, 4), Trip(new Point(3, 4)));
        var bag = Trip(new PlainBag { Name = "bag", Numbers = [1, 2], Scores = new() { ["s"] = 0.5 } });
        Assert.Equal("bag", bag.Name);
        Assert.Equal([1, 2], bag.Numbers);
        Assert.Equal(0.5, bag.Scores["s"]);
        Assert.Equal(5, pool.Apply(Tasks.ReturnObject, 0));
        Assert.Equal("text", pool.Apply(Tasks.ReturnObject, 1));
        Assert.Equal(new Point(1, 2), pool.Apply(Tasks.ReturnObject, 2));
        Assert.Null(pool.Apply(Tasks.ReturnObject, 3));
        Assert.Equal(new Point(9, 9), Trip<object>(new Point(9, 9)));
    }

    [Fact]
    public void WorkerInfo_InsideTask_NamesTheWorker()
    {
        using var pool = CreatePool(2);
        Assert.False(WorkerInfo.IsInWorker);
        Assert.Throws<InvalidOperationException>(() => WorkerInfo.Current);
        var pids = pool.Map(Tasks.WorkerPid, Enumerable.Range(0, 20), 1);
        var indices = pool.Map(Tasks.WorkerIndex, Enumerable.Range(0, 20), 1);
        Assert.All(indices, i => Assert.InRange(i, 0, 10));
        if (UsesProcesses)
        {
            Assert.DoesNotContain(Environment.ProcessId, pids);
        }
        else
        {
            Assert.All(pids, p => Assert.Equal(Environment.ProcessId, p));
        }
    }

    [Fact]
    public void ApplyAsync_CancelledBeforeStart_NeverRunsAndFailsWithOperationCanceled()
    {
        using var gate = new Gate();
        using var pool = CreatePool(1);
        string marker = gate.Path + ".ran";
        using var cts = new CancellationTokenSource();
        var blocker = pool.ApplyAsync(Tasks.WaitForGate, gate.Path);
        var queued = pool.ApplyAsync(Tasks.WriteFile, marker, cancellationToken: cts.Token);
        cts.Cancel();
        Assert.True(queued.Wait(Timeout));
        Assert.Throws<OperationCanceledException>(() => queued.Get());
        gate.Open();
        Assert.Equal(1, blocker.Get(Timeout));
        pool.Close();
        Assert.True(pool.Join(Timeout));
        Assert.False(File.Exists(marker), "a task cancelled before it started must never run");
    }

    [Fact]
    public void AsyncResultCancel_BeforeAndAfterCompletion_ReportsWhetherItCancelled()
    {
        using var gate = new Gate();
        using var pool = CreatePool(1);
        var blocker = pool.ApplyAsync(Tasks.WaitForGate, gate.Path);
        var queued = pool.MapAsync(Tasks.Square, Enumerable.Range(0, 10));
        Assert.True(queued.Cancel());
        Assert.True(queued.IsReady);
        Assert.Throws<OperationCanceledException>(() => queued.Get());
        gate.Open();
        Assert.Equal(1, blocker.Get(Timeout));
        Assert.False(blocker.Cancel());
        Assert.Equal(4, pool.Apply(Tasks.Square, 2));
    }

    [Fact]
    public void Map_TokenAlreadyCancelled_ThrowsAtTheCall()
    {
        using var pool = CreatePool(1);
        Assert.Throws<OperationCanceledException>(() => pool.Map(Tasks.Square, [1, 2], cancellationToken: new CancellationToken(true)));
        Assert.Throws<OperationCanceledException>(() => pool.Imap(Tasks.Square, [1, 2], cancellationToken: new CancellationToken(true)));
    }

    [Fact]
    public void Imap_Cancelled_EnumerationThrowsOperationCanceled()
    {
        using var pool = CreatePool(1);
        using var cts = new CancellationTokenSource();
        var seen = new List<int>();
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var x in pool.Imap(Tasks.Identity, Tasks.Naturals(), 1, cancellationToken: cts.Token))
            {
                seen.Add(x);
                if (x == 10)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.Equal(Enumerable.Range(0, 11), seen.Take(11));
    }

    [Fact]
    public virtual void ImapUnordered_LeftAfterTheFirstResult_DropsTheTasksNotYetStarted()
    {
        // The guide's "first result" pattern: after First(), the call's other tasks are not wanted. Item 1 is running
        // then; no item after it may start. In a worker process it returns when its token trips: the cancellations of
        // later items reach the worker before its token's, so that is exact, where a gate the test opened could let
        // the worker reach item 2 before its cancellation. A thread pool drops the queued items in process, at once,
        // and its running task is released by the gate.
        using var gate = new Gate();
        using var pool = CreatePool(new PoolOptions { Processes = 1, CancellationGracePeriod = Timeout });
        var pairs = Enumerable.Range(0, 10).Select(i => (i, gate.Path)).ToList();
        int first = pool.ImapUnordered(static ((int X, string Gate) p, CancellationToken token) => Tasks.TokenStoppedThenMarked(p.X, p.Gate, token), pairs, 1).First();
        Assert.Equal(0, first);
        if (!UsesProcesses)
        {
            gate.Open();
        }

        Assert.Equal(9, pool.Apply(Tasks.Square, 3));
        pool.Close();
        Assert.True(pool.Join(Timeout));
        var ran = Enumerable.Range(2, 8).Where(i => File.Exists($"{gate.Path}.ran.{i}")).ToList();
        foreach (int i in ran)
        {
            File.Delete($"{gate.Path}.ran.{i}");
        }

        Assert.Empty(ran);
    }

    [Fact]
    public async Task ImapUnorderedAsync_WithCancellation_StopsAtTheNextStepEvenWithResultsBuffered()
    {
        using var pool = CreatePool();
        using var cts = new CancellationTokenSource();
        int n = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var v in pool.ImapUnorderedAsync(Tasks.Identity, Enumerable.Range(0, 100_000)).WithCancellation(cts.Token))
            {
                if (++n == 10)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.Equal(10, n);
    }

    [Fact]
    public async Task ImapAsync_FiniteInput_YieldsInInputOrder()
    {
        using var pool = CreatePool();
        var results = new List<int>();
        await foreach (var r in pool.ImapAsync(Tasks.Square, Enumerable.Range(0, 300), 4).WithCancellation(CancellationToken.None))
        {
            results.Add(r);
        }

        Assert.Equal(Enumerable.Range(0, 300).Select(x => x * x), results);
    }

    [Fact]
    public async Task ImapUnorderedAsync_AsyncInfiniteInput_ReadsLazilyAndYieldsEveryResult()
    {
        using var pool = CreatePool();
        static async IAsyncEnumerable<int> Produce()
        {
            for (int i = 0; ; i++)
            {
                await Task.Yield();
                yield return i;
            }
        }

        var results = new List<int>();
        await foreach (var r in pool.ImapUnorderedAsync(Tasks.Identity, Produce(), 7))
        {
            results.Add(r);
            if (results.Count == 2000)
            {
                break;
            }
        }

        Assert.Equal(2000, results.Distinct().Count());
        var ordered = new List<int>();
        await foreach (var r in pool.ImapAsync(Tasks.Square, Produce(), 3))
        {
            ordered.Add(r);
            if (ordered.Count == 500)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 500).Select(x => x * x), ordered);
    }

    [Fact]
    public async Task ImapAsync_WithCancellation_StopsWithOperationCanceled()
    {
        using var pool = CreatePool(1);
        using var cts = new CancellationTokenSource();
        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var r in pool.ImapAsync(Tasks.Identity, Tasks.Naturals(), 1).WithCancellation(cts.Token))
            {
                if (++seen == 50)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.True(seen >= 50);
        Assert.Equal(9, pool.Apply(Tasks.Square, 3));
    }

    [Fact]
    public void Map_WithProgress_ReportsBoundedAndFinalCounts()
    {
        using var pool = CreatePool();
        var sink = new RecordingProgress();
        Assert.Equal(1000, pool.Map(Tasks.Identity, Enumerable.Range(0, 1000), 10, sink).Count);
        var last = sink.WaitFor(p => p.IsComplete, Timeout);
        Assert.Equal(1000, last.Completed);
        Assert.Equal(0, last.Failed);
        Assert.Equal(1000, last.Total);
        Assert.Equal(TimeSpan.Zero, last.Eta ?? TimeSpan.Zero);
        Assert.True(sink.Count <= 1 + (int)(last.Elapsed.TotalSeconds * 10) + 1, $"{sink.Count} reports in {last.Elapsed}");
    }

    [Fact]
    public void Imap_WithProgress_LearnsTotalWhenInputEnds()
    {
        using var pool = CreatePool();
        var sink = new RecordingProgress();
        Assert.Equal(199, pool.Imap(Tasks.FailOn, Enumerable.Range(0, 200).Where(x => x != 3), 5, sink).Count());
        var last = sink.WaitFor(p => p.IsComplete, Timeout);
        Assert.Equal(199, last.Total);
        Assert.Equal(199, last.Completed);
    }

    [Fact]
    public void WorkerInfoPool_TaskIssuesFollowUpTasks_GetsTheirResults()
    {
        using var pool = CreatePool(2);
        Assert.Equal(285, pool.Apply(FollowUpTasks.SumOfSquares, 10));
        Assert.Equal(50, pool.Apply(FollowUpTasks.SquareViaApply, 7));
        var ex = Assert.Throws<KeyNotFoundException>(() => pool.Apply(FollowUpTasks.FollowUpThrows, "missing"));
        Assert.Equal("missing", ex.Message);
    }

    [Fact]
    public async Task AsyncTaskFunctions_AwaitedInWorker_ReturnTheirResults()
    {
        using var pool = CreatePool(2);
        Assert.Equal(Enumerable.Range(0, 30).Select(x => x * 2), pool.Map(AsyncTasks.DoubleLater, Enumerable.Range(0, 30)));
        Assert.Equal(["a", "b"], pool.Map(AsyncTasks.EchoLater, ["a", "b"]));
        Assert.Equal(14, pool.Apply(AsyncTasks.DoubleLater, 7));
        Assert.Equal("v", await pool.ApplyAsync(AsyncTasks.EchoLater, "v"));
        Assert.Equal(Enumerable.Range(0, 10).Select(x => x * 2), pool.Imap(AsyncTasks.DoubleLater, Enumerable.Range(0, 10), 3).ToList());
        Assert.Equal(10, pool.ImapUnordered(AsyncTasks.DoubleLater, Enumerable.Range(0, 10)).Count());
        var ex = Assert.Throws<InvalidOperationException>(() => pool.Map(AsyncTasks.FailLater, [1, 2]));
        Assert.StartsWith("async failure", ex.Message);
    }

    [Fact]
    public void Map_AsyncLambdaWithoutReturnType_AwaitsEveryTask()
    {
        using var pool = CreatePool(2);
        var results = pool.Map(static async (int x) => { await Task.Yield(); return x * 2; }, Enumerable.Range(0, 20));
        Assert.Equal(Enumerable.Range(0, 20).Select(x => x * 2), results);
    }

    [Fact]
    public async Task ApplyAndApplyAsync_TaskFunctionsOfZeroToFourArguments_AwaitTheirTasks()
    {
        using var pool = CreatePool(2);
        Assert.Equal(1, pool.Apply(static async () => { await Task.Yield(); return 1; }));
        Assert.Equal(2, pool.Apply(static async (int a) => { await Task.Yield(); return a; }, 2));
        Assert.Equal(3, pool.Apply(static async (int a, int b) => { await Task.Yield(); return a + b; }, 1, 2));
        Assert.Equal("a1True", pool.Apply(static async (string a, int b, bool c) => { await Task.Yield(); return $"{a}{b}{c}"; }, "a", 1, true));
        Assert.Equal(10, pool.Apply(static async (int a, int b, int c, int d) => { await Task.Yield(); return a + b + c + d; }, 1, 2, 3, 4));
        Assert.Equal(1, await pool.ApplyAsync(static async () => { await Task.Yield(); return 1; }));
        Assert.Equal(2, await pool.ApplyAsync(static async (int a) => { await Task.Yield(); return a; }, 2));
        Assert.Equal(3, await pool.ApplyAsync(static async (int a, int b) => { await Task.Yield(); return a + b; }, 1, 2));
        Assert.Equal(6, await pool.ApplyAsync(static async (int a, int b, int c) => { await Task.Yield(); return a + b + c; }, 1, 2, 3));
        Assert.Equal(10, await pool.ApplyAsync(static async (int a, int b, int c, int d) => { await Task.Yield(); return a + b + c + d; }, 1, 2, 3, 4));
    }

    [Fact]
    public async Task ApplyAndApplyAsync_ValueTaskFunctionsOfZeroToFourArguments_AwaitTheirTasks()
    {
        using var pool = CreatePool(2);
        Assert.Equal(1, pool.Apply(TaskFunctions.Zero));
        Assert.Equal("v", pool.Apply(AsyncTasks.EchoLater, "v"));
        Assert.Equal(3, pool.Apply(TaskFunctions.Add2, 1, 2));
        Assert.Equal(6, pool.Apply(TaskFunctions.Add3, 1, 2, 3));
        Assert.Equal(10, pool.Apply(TaskFunctions.Add4, 1, 2, 3, 4));
        Assert.Equal(1, await pool.ApplyAsync(TaskFunctions.Zero));
        Assert.Equal("v", await pool.ApplyAsync(AsyncTasks.EchoLater, "v"));
        Assert.Equal(3, await pool.ApplyAsync(TaskFunctions.Add2, 1, 2));
        Assert.Equal(6, await pool.ApplyAsync(TaskFunctions.Add3, 1, 2, 3));
        Assert.Equal(10, await pool.ApplyAsync(TaskFunctions.Add4, 1, 2, 3, 4));
    }

    [Fact]
    public void ApplyAsync_TaskFunctionOfTwoArgumentsThrows_FailsWithItsExceptionAndCallsErrorCallback()
    {
        using var pool = CreatePool(2);
        var seen = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = pool.ApplyAsync(TaskFunctions.FailAdd2, 1, 2, errorCallback: e => seen.TrySetResult(e));
        Assert.True(result.Wait(Timeout));
        var ex = Assert.Throws<InvalidOperationException>(() => result.Get());
        Assert.Equal("async failure 3", ex.Message);
        Assert.IsType<InvalidOperationException>(seen.Task.WaitAsync(Timeout).GetAwaiter().GetResult());
    }

    [Fact]
    public async Task MapAndMapAsync_TaskAndValueTaskFunctions_ReturnResultsInInputOrder()
    {
        using var pool = CreatePool(2);
        var expected = Enumerable.Range(0, 25).Select(x => x * 2).ToList();
        Assert.Equal(expected, await pool.MapAsync(AsyncTasks.DoubleLater, Enumerable.Range(0, 25), chunksize: 4));
        Assert.Equal(expected, await pool.MapAsync(TaskFunctions.DoubleValue, Enumerable.Range(0, 25)));
        Assert.Equal(expected, await pool.MapAsync(static async (int x) => { await Task.Yield(); return x * 2; }, Enumerable.Range(0, 25)));
        Assert.Equal(expected, pool.Map(TaskFunctions.DoubleValue, Enumerable.Range(0, 25), chunksize: 3));
    }

    [Fact]
    public async Task StarmapAndStarmapAsync_TaskAndValueTaskFunctions_ReturnResultsInInputOrder()
    {
        using var pool = CreatePool(2);
        (int, int)[] pairs = [(1, 2), (3, 4), (5, 6)];
        (int, int, int)[] triples = [(1, 2, 3), (4, 5, 6)];
        Assert.Equal([3, 7, 11], pool.Starmap(static async (int a, int b) => { await Task.Yield(); return a + b; }, pairs));
        Assert.Equal([3, 7, 11], pool.Starmap(TaskFunctions.Add2, pairs, chunksize: 1));
        Assert.Equal([6, 15], pool.Starmap(static async (int a, int b, int c) => { await Task.Yield(); return a + b + c; }, triples));
        Assert.Equal([6, 15], pool.Starmap(TaskFunctions.Add3, triples));
        Assert.Equal([3, 7, 11], await pool.StarmapAsync(static async (int a, int b) => { await Task.Yield(); return a + b; }, pairs));
        Assert.Equal([3, 7, 11], await pool.StarmapAsync(TaskFunctions.Add2, pairs));
        Assert.Equal([6, 15], await pool.StarmapAsync(static async (int a, int b, int c) => { await Task.Yield(); return a + b + c; }, triples));
        Assert.Equal([6, 15], await pool.StarmapAsync(TaskFunctions.Add3, triples));
    }

    [Fact]
    public async Task ImapForms_TaskAndValueTaskFunctions_YieldEveryResult()
    {
        using var pool = CreatePool(2);
        var expected = Enumerable.Range(0, 30).Select(x => x * 2).ToList();
        Assert.Equal(expected, pool.Imap(static async (int x) => { await Task.Yield(); return x * 2; }, Enumerable.Range(0, 30), 4).ToList());
        Assert.Equal(expected, pool.Imap(TaskFunctions.DoubleValue, Enumerable.Range(0, 30)).ToList());
        Assert.Equal(expected, pool.ImapUnordered(static async (int x) => { await Task.Yield(); return x * 2; }, Enumerable.Range(0, 30)).Order().ToList());
        Assert.Equal(expected, pool.ImapUnordered(TaskFunctions.DoubleValue, Enumerable.Range(0, 30), 5).Order().ToList());
        Assert.Equal(expected, await Collect(pool.ImapAsync(static async (int x) => { await Task.Yield(); return x * 2; }, Enumerable.Range(0, 30))));
        Assert.Equal(expected, await Collect(pool.ImapAsync(TaskFunctions.DoubleValue, Produce(30), 3)));
        Assert.Equal(expected, (await Collect(pool.ImapUnorderedAsync(AsyncTasks.DoubleLater, Produce(30)))).Order());
        Assert.Equal(expected, (await Collect(pool.ImapUnorderedAsync(TaskFunctions.DoubleValue, Enumerable.Range(0, 30)))).Order());
    }

    [Fact]
    public async Task Completion_Running_NotCompletedUntilClosedAndJoined()
    {
        using var gate = new Gate();
        using var pool = CreatePool(2);
        var blocked = pool.ApplyAsync(Tasks.WaitForGate, gate.Path);
        Task completion = pool.Completion;
        Assert.False(completion.IsCompleted);
        pool.Close();
        Assert.False(completion.IsCompleted);
        gate.Open();
        await completion.WaitAsync(Timeout);
        Assert.True(blocked.IsReady);
    }

    [Fact]
    public void JoinAsync_Running_ThrowsInvalidOperation()
    {
        using var pool = CreatePool(1);
        Assert.Throws<InvalidOperationException>(() => { _ = pool.JoinAsync(); });
    }

    [Fact]
    public async Task JoinAsync_AfterClose_CompletesOnceCallbacksHaveRun()
    {
        using var pool = CreatePool(2);
        int called = 0;
        _ = pool.ApplyAsync(Tasks.Square, 3, callback: _ => Interlocked.Exchange(ref called, 1));
        pool.Close();
        await pool.JoinAsync().WaitAsync(Timeout);
        Assert.Equal(1, Volatile.Read(ref called));
        Assert.True(pool.Completion.IsCompleted);
    }

    [Fact]
    public async Task JoinAsync_TokenCancelled_StopsWaitingButNotTheShutdown()
    {
        using var gate = new Gate();
        using var pool = CreatePool(1);
        var blocked = pool.ApplyAsync(Tasks.WaitForGate, gate.Path);
        pool.Close();
        using var cts = new CancellationTokenSource();
        Task join = pool.JoinAsync(cts.Token);
        Assert.False(join.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => join.WaitAsync(Timeout));
        gate.Open();
        await pool.JoinAsync().WaitAsync(Timeout);
        Assert.True(blocked.IsSuccessful);
    }

    [Fact]
    public void ApplyAsync_TokenFunctionCancelledWhileRunning_TaskSeesThePoolsToken()
    {
        using var gate = new Gate();
        string marker = gate.Path + ".cancelled";
        using var pool = CreatePool(new PoolOptions { Processes = 1, CancellationGracePeriod = TimeSpan.FromSeconds(30) });
        using var cts = new CancellationTokenSource();
        var running = pool.ApplyAsync(CancelTasks.WaitForCancellation, marker, cancellationToken: cts.Token);
        Assert.True(Gate.WaitOpen(marker + ".started", Timeout), "the task never started");
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => running.Get(Timeout));
        Assert.True(Gate.WaitOpen(marker, Timeout), "the running task never saw its token fire");
        File.Delete(marker);
        File.Delete(marker + ".started");
    }

    [Fact]
    public async Task ApplyAndApplyAsync_TokenFunctionsOfZeroToThreeArguments_RunWithoutADummyArgument()
    {
        using var pool = CreatePool(2);
        Assert.Equal(0, pool.Apply(TokenTasks.Zero));
        Assert.Equal(1, pool.Apply(TokenTasks.One, 1));
        Assert.Equal(3, pool.Apply(TokenTasks.Two, 1, 2));
        Assert.Equal(6, pool.Apply(TokenTasks.Three, 1, 2, 3));
        Assert.Equal(0, await pool.ApplyAsync(TokenTasks.Zero));
        Assert.Equal(1, await pool.ApplyAsync(TokenTasks.One, 1));
        Assert.Equal(3, await pool.ApplyAsync(TokenTasks.Two, 1, 2));
        Assert.Equal(6, await pool.ApplyAsync(TokenTasks.Three, 1, 2, 3, callback: static _ => { }));
        Assert.Equal(8, pool.Apply(TokenTasks.DoubleLater, 4));
        Assert.Equal(5, await pool.ApplyAsync(static async (int a, int b, CancellationToken t) => { await Task.Yield(); return a + b; }, 2, 3));
    }

    [Fact]
    public async Task MapAndImapForms_TokenFunction_RunEveryItemWithoutADummyArgument()
    {
        using var pool = CreatePool(2);
        var items = Enumerable.Range(0, 20).ToList();
        var expected = items.Select(x => x * 2).ToList();
        Assert.Equal(expected, pool.Map(static (int x, CancellationToken t) => t.IsCancellationRequested ? -1 : x * 2, items));
        Assert.Equal(expected, await pool.MapAsync(TokenTasks.DoubleLater, items, chunksize: 3));
        Assert.Equal(expected, pool.Imap(static (int x, CancellationToken t) => x * 2, items, 4).ToList());
        Assert.Equal(expected, pool.ImapUnordered(TokenTasks.DoubleLater, items).Order().ToList());
        Assert.Equal(expected, await Collect(pool.ImapAsync(static async (int x, CancellationToken t) => { await Task.Yield(); return x * 2; }, items)));
        Assert.Equal(expected, (await Collect(pool.ImapUnorderedAsync(static (int x, CancellationToken t) => x * 2, Produce(20)))).Order());
    }

    /// <summary>Collects an async stream, bounded by <see cref="Timeout"/>.</summary>
    private static async Task<List<int>> Collect(IAsyncEnumerable<int> source)
    {
        var list = new List<int>();
        using var timeout = new CancellationTokenSource(Timeout);
        await foreach (int x in source.WithCancellation(timeout.Token))
        {
            list.Add(x);
        }

        return list;
    }

    /// <summary>0 to <paramref name="n"/> − 1 as an asynchronous input.</summary>
    private static async IAsyncEnumerable<int> Produce(int n)
    {
        for (int i = 0; i < n; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    [Fact]
    public void Processes_ReportsConfiguredCount()
    {
        using var pool = CreatePool(3);
        Assert.Equal(3, pool.Processes);
    }
}

public sealed class PoolTests : PoolContractTests
{
    protected override bool UsesProcesses => true;

    protected override IPool CreatePool(PoolOptions options) => new Pool(options);
}

public sealed class ThreadedPoolTests : PoolContractTests
{
    protected override bool UsesProcesses => false;

    protected override IPool CreatePool(PoolOptions options) => new ThreadedPool(options);

    [Fact]
    public void Apply_CapturingLambda_IsAccepted()
    {
        using var pool = CreatePool();
        int offset = 10;
        Assert.Equal(11, pool.Apply(x => x + offset, 1));
    }
}
