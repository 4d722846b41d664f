namespace Multiprocessing.Tests;

/// <summary>
/// Every issuing method called with an async lambda that has no explicit return type. Such a lambda converts to
/// both a Task and a ValueTask function, so each call here fails to compile (CS0121, ambiguous) unless the Task
/// form wins (<c>OverloadResolutionPriority</c>) and each form exists: this file is the compile-time test; the
/// assertions check that each call awaits its tasks.
/// </summary>
public sealed class TaskFunctionOverloadTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EveryIssuingMethod_AsyncLambdaWithoutReturnType_CompilesAndAwaitsItsTasks()
    {
        using IPool pool = new ThreadedPool(2);
        int[] items = [1, 2, 3];
        (int, int)[] pairs = [(1, 2), (3, 4)];
        (int, int, int)[] triples = [(1, 2, 3)];

        Assert.Equal(0, pool.Apply(static async () => { await Task.Yield(); return 0; }));
        Assert.Equal(1, pool.Apply(static async (int a) => { await Task.Yield(); return a; }, 1));
        Assert.Equal(3, pool.Apply(static async (int a, int b) => { await Task.Yield(); return a + b; }, 1, 2));
        Assert.Equal(6, pool.Apply(static async (int a, int b, int c) => { await Task.Yield(); return a + b + c; }, 1, 2, 3));
        Assert.Equal(10, pool.Apply(static async (int a, int b, int c, int d) => { await Task.Yield(); return a + b + c + d; }, 1, 2, 3, 4));

        Assert.Equal(0, await pool.ApplyAsync(static async () => { await Task.Yield(); return 0; }));
        Assert.Equal(1, await pool.ApplyAsync(static async (int a) => { await Task.Yield(); return a; }, 1));
        Assert.Equal(3, await pool.ApplyAsync(static async (int a, int b) => { await Task.Yield(); return a + b; }, 1, 2));
        Assert.Equal(6, await pool.ApplyAsync(static async (int a, int b, int c) => { await Task.Yield(); return a + b + c; }, 1, 2, 3));
        Assert.Equal(10, await pool.ApplyAsync(static async (int a, int b, int c, int d) => { await Task.Yield(); return a + b + c + d; }, 1, 2, 3, 4));

        Assert.Equal([2, 4, 6], pool.Map(static async (int x) => { await Task.Yield(); return x * 2; }, items));
        Assert.Equal([2, 4, 6], await pool.MapAsync(static async (int x) => { await Task.Yield(); return x * 2; }, items));
        Assert.Equal([3, 7], pool.Starmap(static async (int a, int b) => { await Task.Yield(); return a + b; }, pairs));
        Assert.Equal([6], pool.Starmap(static async (int a, int b, int c) => { await Task.Yield(); return a + b + c; }, triples));
        Assert.Equal([3, 7], await pool.StarmapAsync(static async (int a, int b) => { await Task.Yield(); return a + b; }, pairs));
        Assert.Equal([6], await pool.StarmapAsync(static async (int a, int b, int c) => { await Task.Yield(); return a + b + c; }, triples));

        Assert.Equal([2, 4, 6], pool.Imap(static async (int x) => { await Task.Yield(); return x * 2; }, items).ToList());
        Assert.Equal([2, 4, 6], pool.ImapUnordered(static async (int x) => { await Task.Yield(); return x * 2; }, items).Order().ToList());
        Assert.Equal([2, 4, 6], await Collect(pool.ImapAsync(static async (int x) => { await Task.Yield(); return x * 2; }, items)));
        Assert.Equal([2, 4, 6], (await Collect(pool.ImapUnorderedAsync(static async (int x) => { await Task.Yield(); return x * 2; }, items))).Order());
        Assert.Equal([2, 4, 6], await Collect(pool.ImapAsync(static async (int x) => { await Task.Yield(); return x * 2; }, Produce(items))));
        Assert.Equal([2, 4, 6], (await Collect(pool.ImapUnorderedAsync(static async (int x) => { await Task.Yield(); return x * 2; }, Produce(items)))).Order());
    }

    private static async Task<List<int>> Collect(IAsyncEnumerable<int> source)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var list = new List<int>();
        await foreach (int x in source.WithCancellation(timeout.Token))
        {
            list.Add(x);
        }

        return list;
    }

    private static async IAsyncEnumerable<int> Produce(int[] items)
    {
        foreach (int x in items)
        {
            await Task.Yield();
            yield return x;
        }
    }
}
