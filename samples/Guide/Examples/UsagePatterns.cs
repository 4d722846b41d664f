using Multiprocessing;

namespace Guide.Examples;

/// <summary>The guide's "Multiprocessing Pool Common Usage Patterns", each task sleeping random() seconds (scaled).</summary>
internal static class UsagePatterns
{
    public static Example[] Examples =>
    [
        new("map-iterate", "Pattern 1: map() and Iterate Results Pattern", MapIterate),
        new("apply-async-forget", "Pattern 2: apply_async() and Forget Pattern", ApplyAsyncForget),
        new("map-async-forget", "Pattern 3: map_async() and Forget Pattern", MapAsyncForget),
        new("imap-unordered-as-completed", "Pattern 4: imap_unordered() and Use as Completed Pattern", ImapUnorderedAsCompleted),
        new("imap-unordered-first", "Pattern 5: imap_unordered() and Wait for First Pattern", ImapUnorderedFirst),
    ];

    // task(value): sleep for random() seconds, return (value, random_value).
    private static (int Value, double Random) Task(int value)
    {
        double randomValue = Py.Random();
        Py.Sleep(randomValue);
        return (value, randomValue);
    }

    // The fire-and-forget task prints its result instead of returning it.
    private static void ReportingTask(int value)
    {
        double randomValue = Py.Random();
        Py.Sleep(randomValue);
        Console.WriteLine($">task got {Py.Str((value, randomValue))}");
    }

    // Map takes a Func (there is no Map over an Action), so map_async's task returns a value nobody reads.
    private static bool ReportingTaskForMap(int value)
    {
        ReportingTask(value);
        return true;
    }

    private static int MapIterate()
    {
        using var pool = new Pool();
        foreach (var result in pool.Map(Task, Enumerable.Range(0, 10)))
        {
            Console.WriteLine($">got {Py.Str(result)}");
        }

        return 0;
    }

    private static int ApplyAsyncForget()
    {
        using var pool = new Pool();
        _ = pool.ApplyAsync(ReportingTask, 1);
        pool.Close();
        pool.Join();
        return 0;
    }

    private static int MapAsyncForget()
    {
        using var pool = new Pool();
        _ = pool.MapAsync(ReportingTaskForMap, Enumerable.Range(0, 10));
        pool.Close();
        pool.Join();
        return 0;
    }

    private static int ImapUnorderedAsCompleted()
    {
        using var pool = new Pool();
        // chunksize: 1 is Python's default for imap_unordered; ours chooses automatically for a counted input, and a
        // chunk's results come back together (so they would arrive in bunches, not one by one as completed).
        foreach (var result in pool.ImapUnordered(Task, Enumerable.Range(0, 10), chunksize: 1))
        {
            Console.WriteLine($">got {Py.Str(result)}");
        }

        Py.Note("chunksize: 1 is passed: it is Python's default for imap_unordered, but ours chooses automatically for a counted input, whose chunk's results arrive together.");
        return 0;
    }

    private static int ImapUnorderedFirst()
    {
        using var pool = new Pool();
        // chunksize: 1, Python's default (see Pattern 4).
        var it = pool.ImapUnordered(Task, Enumerable.Range(0, 10), chunksize: 1);
        // First() leaves the loop: the call's other tasks are dropped, and Dispose (the `with` block's end) terminates the pool.
        var result = it.First();
        Console.WriteLine($">got {Py.Str(result)}");
        Py.Note("chunksize: 1 is passed: it is Python's default for imap_unordered, but ours chooses automatically for a counted input, whose chunk's results arrive together.");
        return 0;
    }
}
