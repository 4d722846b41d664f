namespace Multiprocessing.Tests.Cluster;

/// <summary>Tasks for the cluster tests (static: they run in the silos' worker processes).</summary>
public static class ClusterTasks
{
    /// <summary>About 20 µs of work, then a result that depends on the input only.</summary>
    public static long Work(int x)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        while (System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds < 20)
        {
        }

        return ((long)x * x) + 1;
    }

    /// <summary>The process id of the silo whose worker runs this (the worker's parent).</summary>
    public static int SiloProcessId(int _)
    {
        string stat = File.ReadAllText("/proc/self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
    }
}
