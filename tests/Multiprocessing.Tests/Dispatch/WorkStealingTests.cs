using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests.Dispatch;

/// <summary>
/// No worker idles while another holds work it has not begun: a chunk queued behind a long one is asked back
/// and run by the idle worker. Deterministic: one task blocks on a gate that the test opens only after every
/// other task's result has arrived, which can happen only if the tasks queued behind it moved elsewhere.
/// </summary>
public sealed class WorkStealingTests
{
    [Fact]
    public void ImapUnordered_ChunkQueuedBehindABlockedTask_RunsOnTheIdleWorker()
    {
        using var pool = new Pool(2);
        BothWorkersReady(pool);
        using var gate = new Gate();

        // chunksize 1 over 4 items: 0 and 2 go to the first worker, 1 and 3 to the second (least loaded, in
        // turn); item 2 waits behind item 0, which holds its worker until all three others have returned.
        string[] items = [gate.Path, string.Empty, string.Empty, string.Empty];
        var results = new List<int>();
        foreach (int r in pool.ImapUnordered(Tasks.WaitForGateIfNamed, items, chunksize: 1))
        {
            results.Add(r);
            if (results.Count == 3)
            {
                Assert.Equal([0, 0, 0], results);
                gate.Open();
            }
        }

        Assert.Equal([0, 0, 0, 1], results);
    }

    [Fact]
    public void ImapUnordered_AutomaticChunksOverACountedInput_StartAtOneItem_SoOneLongTaskHoldsBackNoOther()
    {
        // Python's imap default (chunksize 1): the first results come while the first task still runs.
        using var pool = new Pool(2);
        BothWorkersReady(pool);
        using var gate = new Gate();
        string[] items = [gate.Path, .. Enumerable.Repeat(string.Empty, 15)];
        int seen = 0;
        int gated = 0;
        foreach (int r in pool.ImapUnordered(Tasks.WaitForGateIfNamed, items))
        {
            gated += r;
            if (++seen == items.Length - 1)
            {
                Assert.Equal(0, gated);
                gate.Open();
            }
        }

        Assert.Equal(1, gated);
    }

    [Fact]
    public void AdaptiveStreamChunk_OneItemUntilMeasured_ThenTheAutomaticSize()
    {
        using var pool = new Pool(1);
        var function = pool.Executor.Prepare<int, int>(Tasks.Square, Tasks.Square, "func");
        Assert.Equal((1, 1024), pool.AdaptiveStreamChunk(100_000, function));

        Assert.Equal(Enumerable.Range(0, 1000).Select(x => x * x), pool.Map(Tasks.Square, Enumerable.Range(0, 1000)));
        var (size, window) = pool.AdaptiveStreamChunk(100_000, function);
        Assert.Null(window);
        Assert.Equal(pool.AutoChunksize(100_000, function), size);
        Assert.True(size > 1, $"a measured cheap function still gets chunks of {size}");
    }

    [Fact]
    public void Imap_AutomaticChunksOverACountedInput_ReturnEveryResultInOrder()
    {
        using var pool = new Pool(2);
        int[] items = [.. Enumerable.Range(0, 5000)];
        Assert.Equal(items.Select(x => x * x), pool.Imap(Tasks.Square, items));
        Assert.Equal(items.Select(x => x * x), pool.Imap(Tasks.Square, items));
    }

    private static void BothWorkersReady(Pool pool)
    {
        string folder = Directory.CreateTempSubdirectory("mp-ready-").FullName;
        try
        {
            Assert.Equal([2, 2], pool.Map(static ((string Folder, int Parties) p) => Tasks.ArriveAndWaitForAll(p.Folder, p.Parties), [(folder, 2), (folder, 2)], chunksize: 1));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
