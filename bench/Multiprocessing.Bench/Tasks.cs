using System.Security.Cryptography;
using System.Text;

namespace Multiprocessing.Bench;

/// <summary>
/// The task functions. All are static methods, as <see cref="Pool"/> requires, and each mirrors the
/// function of the same name in bench/python/pool_bench.py.
/// </summary>
internal static class Tasks
{
    /// <summary>Iterations per <see cref="Burn"/> call; set in workers by the pool initializer, as Python's <c>set_k</c>.</summary>
    private static int s_k = 1;

    public static int K => Volatile.Read(ref s_k);

    public static int Identity(int x) => x;

    public static byte[] IdentityBytes(byte[] data) => data;

    /// <summary>W1: SHA-512 of the word's UTF-8 bytes as lower-case hex (Python's <c>hash_word</c>), the sample's own.</summary>
    public static string HashWord(string word) => HashWords.WordHash.HashWord(word);

    /// <summary>The pool initializer of W2 and W10 (Python's <c>set_k</c>).</summary>
    public static void SetK(int k) => Volatile.Write(ref s_k, k);

    /// <summary>W2: <c>x = i; K times: x = (x * 1103515245 + 12345) &amp; 0x7fffffff</c> (Python's <c>burn</c>, same results).</summary>
    public static int Burn(int i)
    {
        long x = i;
        int k = K;
        for (int j = 0; j < k; j++)
        {
            x = ((x * 1103515245) + 12345) & 0x7fffffff;
        }

        return (int)x;
    }

    /// <summary>
    /// Holds a worker briefly and names it (index, process id), so that a warm-up reaches every worker (Python's <c>worker_pid</c>);
    /// over <c>long</c>, a type no timed call uses, so that waiting for the workers JIT-compiles none of their paths.
    /// </summary>
    public static long WorkerPid(long _)
    {
        Thread.Sleep(5);
        return ((long)(WorkerInfo.Current?.Index ?? -1) << 32) | (uint)Environment.ProcessId;
    }

    /// <summary>W11: an uneven task that waits (Python's <c>sleep_ms</c>).</summary>
    public static double SleepMs(double ms)
    {
        Thread.Sleep(TimeSpan.FromMilliseconds(ms));
        return ms;
    }

    /// <summary>W11: an uneven task that burns this thread's CPU for <paramref name="ms"/> (Python's <c>spin_ms</c>, the same clock).</summary>
    public static double SpinMs(double ms)
    {
        double end = Cpu.ThreadSeconds() + (ms / 1000);
        while (Cpu.ThreadSeconds() < end)
        {
        }

        return ms;
    }

    /// <summary>An endless input for W9: 0, 1, 2, ...</summary>
    public static IEnumerable<int> Naturals()
    {
        for (int i = 0; ; i = i == int.MaxValue ? 0 : i + 1)
        {
            yield return i;
        }
    }

    /// <summary>Chooses K so that one <see cref="Burn"/> takes about <paramref name="targetSeconds"/> here (Python's <c>calibrate_k</c>).</summary>
    public static int CalibrateK(double targetSeconds = 0.002)
    {
        const int probe = 1_000_000;
        SetK(probe);

        // Let tiered compilation finish with Burn first, so that K is calibrated on the code that will run.
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 40; i++)
            {
                Burn(i);
            }

            Thread.Sleep(150);
        }

        double best = double.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            Burn(i);
            best = Math.Min(best, System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        int k = (int)Math.Max(1, Math.Round(targetSeconds * probe / best));
        SetK(k);
        return k;
    }
}
