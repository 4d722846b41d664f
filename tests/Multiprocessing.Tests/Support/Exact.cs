namespace Multiprocessing.Tests.Support;

/// <summary>
/// Element-for-element equality of long sequences (megabytes of results): Assert.Equal walks an enumerable item by
/// item through its comparer, seconds for a few million items; this compares spans and names the first difference.
/// </summary>
public static class Exact
{
    public static void Equal<T>(IEnumerable<T> expected, IEnumerable<T> actual)
        where T : IEquatable<T>
    {
        T[] e = [.. expected];
        T[] a = [.. actual];
        if (e.AsSpan().SequenceEqual(a))
        {
            return;
        }

        int i = 0;
        while (i < e.Length && i < a.Length && e[i].Equals(a[i]))
        {
            i++;
        }

        Assert.Fail($"The sequences differ at index {i} ({e.Length} items expected, {a.Length} actual): expected {(i < e.Length ? e[i] : "(the end)")}, actual {(i < a.Length ? a[i] : "(the end)")}.");
    }
}
