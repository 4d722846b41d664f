using Multiprocessing.Managers;
using Xunit.Abstractions;

namespace Multiprocessing.Tests.Managers;

/// <summary>
/// Opt-in measurements (set <c>MP_MANAGER_BENCH=1</c>): lock acquire+release pairs and queue put+get pairs
/// per second through the proxies, from this process and from a worker process. Python's Manager on the
/// reference machine: about 10 k lock pairs/s and 9 k queue pairs/s.
/// </summary>
public sealed class ManagerThroughputTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static bool Enabled => Environment.GetEnvironmentVariable("MP_MANAGER_BENCH") == "1";

    [Fact]
    public void Throughput_LockAndQueuePairs_ArePrinted()
    {
        if (!Enabled)
        {
            return;
        }

        using var manager = new Manager();
        var sharedLock = manager.Lock();
        var queue = manager.Queue<int>();
        ManagerTasks.LockPairsPerSecond(sharedLock, 1); // warm up
        ManagerTasks.QueuePairsPerSecond(queue, 1);
        output.WriteLine($"parent: lock pairs/s {ManagerTasks.LockPairsPerSecond(sharedLock, 3):N0}");
        output.WriteLine($"parent: queue pairs/s {ManagerTasks.QueuePairsPerSecond(queue, 3):N0}");

        using var pool = new Pool(1);
        pool.Apply(ManagerTasks.LockPairsPerSecond, sharedLock, 1);
        output.WriteLine($"worker: lock pairs/s {pool.ApplyAsync(ManagerTasks.LockPairsPerSecond, sharedLock, 3).Get(Timeout):N0}");
        output.WriteLine($"worker: queue pairs/s {pool.ApplyAsync(ManagerTasks.QueuePairsPerSecond, queue, 3).Get(Timeout):N0}");
    }
}
