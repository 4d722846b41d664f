namespace Multiprocessing.Worker;

/// <summary>
/// When a worker starts a garbage collection of its own: after a task whose large arrays (received or sent out
/// of band) add up, since the last such collection, to at least 16 MB and to at least what the last collection
/// found alive. A fresh large array costs a page fault per page; reusing the previous task's memory, which a
/// collection frees, costs next to nothing (docs/benchmarks.md, "Large arrays"). The second condition keeps the
/// collections' cost (marking what is alive) below the copying the arrays cost anyway.
/// </summary>
internal sealed class LargeGarbage
{
    public const long MinBytes = 16L << 20;

    private long _bytes;

    /// <summary>Counts <paramref name="bytes"/> of large arrays a task received or sent; true when a collection is due (the count restarts).</summary>
    public bool Add(long bytes, Func<long> liveBytes)
    {
        if (bytes <= 0)
        {
            return false;
        }

        _bytes += bytes;
        if (_bytes < MinBytes || _bytes < liveBytes())
        {
            return false;
        }

        _bytes = 0;
        return true;
    }

    /// <summary>Starts a background collection (blocking only if the application turned concurrent collection off).</summary>
    public static void Collect() => GC.Collect(2, GCCollectionMode.Forced, blocking: false, compacting: false);

    /// <summary>What the last full collection (background or blocking) found alive.</summary>
    public static long LiveBytes() => Math.Max(GC.GetGCMemoryInfo(GCKind.Background).PromotedBytes, GC.GetGCMemoryInfo(GCKind.FullBlocking).PromotedBytes);
}
