using System.Diagnostics;
using Multiprocessing.Managers;

namespace Multiprocessing.Tests.Managers;

/// <summary>Task functions for the manager tests: static, so that they run in worker processes too.</summary>
public static class ManagerTasks
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static QueueProxy<int>? s_results;
    private static EventProxy? s_release;

    /// <summary>The guide's "stop all running tasks": work until the shared event is set.</summary>
    public static int RunUntilStopped(EventProxy stop, QueueProxy<int> started, int id)
    {
        started.Put(id);
        var clock = Stopwatch.StartNew();
        int rounds = 0;
        while (!stop.IsSet)
        {
            rounds++;
            Thread.SpinWait(1000); // a slice of work between checks
            if (clock.Elapsed > Timeout)
            {
                return -1;
            }
        }

        return rounds;
    }

    /// <summary>The guide's initializer: keeps the shared queue (and a release event) for the worker's tasks.</summary>
    public static void InitResults(QueueProxy<int> results, EventProxy release)
    {
        s_results = results;
        s_release = release;
    }

    /// <summary>Item 0 reports at once; the others wait for the release event first.</summary>
    public static int ReportResult(int item)
    {
        if (item != 0 && !s_release!.Wait(Timeout))
        {
            throw new TimeoutException("never released");
        }

        s_results!.Put(item * 10);
        return item;
    }

    /// <summary>The guide's counter: increments under the shared lock.</summary>
    public static int CountUnderLock(CounterJob job)
    {
        for (int i = 0; i < job.Increments; i++)
        {
            using (job.Lock.Acquire())
            {
                job.Counter.Value += 1;
            }
        }

        return job.Increments;
    }

    /// <summary>Records its arrival, waits at the barrier, then reports how many had arrived when it was released.</summary>
    public static (int Index, int ArrivedWhenReleased) MeetAtBarrier(BarrierProxy barrier, ListProxy<int> arrivals, int id)
    {
        arrivals.Add(id);
        int index = barrier.SignalAndWait(Timeout);
        return (index, arrivals.Count);
    }

    public static int HoldLockAndDie(LockProxy sharedLock, EventProxy held)
    {
        sharedLock.Acquire();
        held.Set();
        Process.GetCurrentProcess().Kill();
        return 0;
    }

    public static int HoldSemaphoreAndDie(SemaphoreProxy semaphore, EventProxy held)
    {
        semaphore.Acquire();
        held.Set();
        Process.GetCurrentProcess().Kill();
        return 0;
    }

    public static int HoldRLockTwiceAndDie(RLockProxy sharedLock, EventProxy held)
    {
        sharedLock.Acquire();
        sharedLock.Acquire();
        held.Set();
        Process.GetCurrentProcess().Kill();
        return 0;
    }

    /// <summary>Arrives at the barrier (without blocking), makes sure the manager has counted it, then dies.</summary>
    public static int WaitAtBarrierAndDie(BarrierProxy barrier, EventProxy arrived)
    {
        _ = barrier.SignalAndWaitAsync().AsTask();
        var clock = Stopwatch.StartNew();
        while (barrier.WaitingCount == 0 && clock.Elapsed < Timeout)
        {
            Thread.Yield(); // polling the manager's count, bounded by Timeout
        }

        arrived.Set();
        Process.GetCurrentProcess().Kill();
        return 0;
    }

    public static int EchoThroughQueue(QueueProxy<string> requests, QueueProxy<string> replies)
    {
        string request = requests.Get();
        replies.Put("echo:" + request);
        return 1;
    }

    /// <summary>Lock acquire+release pairs per second from this process.</summary>
    public static double LockPairsPerSecond(LockProxy sharedLock, int seconds)
    {
        var clock = Stopwatch.StartNew();
        long n = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            sharedLock.Acquire().Dispose();
            n++;
        }

        return n / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Queue put+get pairs per second from this process.</summary>
    public static double QueuePairsPerSecond(QueueProxy<int> queue, int seconds)
    {
        var clock = Stopwatch.StartNew();
        long n = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            queue.Put(1);
            queue.Get();
            n++;
        }

        return n / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Acquire+release pairs with a little work inside; every 100th also counts in a shared value. -1 when the proxy is not on shared memory.</summary>
    public static int HammerLock((LockProxy Lock, ValueProxy<int> Counter, int Pairs) job)
    {
        if (!job.Lock.HasSharedMemory)
        {
            return -1;
        }

        using var bounded = new CancellationTokenSource(Timeout);
        for (int i = 0; i < job.Pairs; i++)
        {
            using (job.Lock.Acquire(bounded.Token))
            {
                Thread.SpinWait(20); // sleep-ok: a little work inside the lock, so that the workers contend
                if (i % 100 == 0)
                {
                    job.Counter.Value += 1;
                }
            }
        }

        return job.Pairs;
    }

    /// <summary>Gets <c>count</c> jobs, puts each doubled into the results, then marks it done (the JoinableQueue pattern).</summary>
    public static int ConsumeAndMarkDone((JoinableQueueProxy<int> Jobs, QueueProxy<int> Results, int Count) job)
    {
        using var bounded = new CancellationTokenSource(Timeout);
        for (int i = 0; i < job.Count; i++)
        {
            int item = job.Jobs.Get(bounded.Token);
            job.Results.Put(item * 2);
            job.Jobs.TaskDone();
        }

        return job.Count;
    }

    /// <summary>Puts "producer:i" for i in [0, count); every 1,000th item carries a payload larger than the ring.</summary>
    public static int ProduceInOrder((QueueProxy<string> Queue, int Producer, int Count) job)
    {
        for (int i = 0; i < job.Count; i++)
        {
            string item = $"{job.Producer}:{i}";
            if (i % 1000 == 999)
            {
                item += ":" + new string('x', 100_000);
            }

            if (!job.Queue.TryPut(item, Timeout))
            {
                throw new TimeoutException($"put {item} timed out");
            }
        }

        return job.Count;
    }
}

public sealed record CounterJob(ValueProxy<int> Counter, LockProxy Lock, int Increments);
