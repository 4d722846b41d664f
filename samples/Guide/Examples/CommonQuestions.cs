using System.Diagnostics;
using System.Globalization;
using Multiprocessing;
using Multiprocessing.Managers;

namespace Guide.Examples;

/// <summary>The guide's "Common Questions When Using the Multiprocessing Pool".</summary>
internal static class CommonQuestions
{
    /// <summary>How long a task or the main waits at a start barrier before giving up (workers start slowly on a busy machine).</summary>
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    public static Example[] Examples =>
    [
        new("stop-tasks", "How Do You Safely Stop Running Tasks?", StopTasks),
        new("kill-tasks", "How to Kill All Tasks?", KillTasks),
        new("wait-all", "How Do You Wait for All Tasks to Complete?", WaitAll),
        new("first-result", "How Do You Get The First Result? (imap_unordered)", FirstResult),
        new("first-result-queue", "How Do You Get The First Result? (a shared queue; from the guide's snippets)", FirstResultQueue),
        new("compare-serial-parallel", "How Do You Compare Serial to Parallel Performance?", CompareSerialParallel),
        new("follow-up", "How Do You Submit a Follow-up Task?", FollowUp),
        new("progress", "How Do You Show Progress of All Tasks?", Progress),
        new("tasks-from-tasks", "How Do You Issue Tasks From Within Tasks?", TasksFromTasks),
        new("sync-primitives", "How Do You Use Synchronization Primitives (Lock, Semaphore, etc.) in Workers? (written for this port)", SyncPrimitives),
    ];

    // --- How Do You Safely Stop Running Tasks? ---

    private static bool StoppableTask(int identifier, EventProxy stop, BarrierProxy running)
    {
        Console.WriteLine($"Task {identifier} running");
        running.SignalAndWait(s_startTimeout);
        for (int i = 0; i < 10; i++)
        {
            Py.Sleep(1);
            if (stop.IsSet)
            {
                Console.WriteLine($"Task {identifier} stopping...");
                break;
            }
        }

        Console.WriteLine($"Task {identifier} Done");
        return true;
    }

    private static int StopTasks()
    {
        using var manager = new Manager();
        var stop = manager.Event();
        var running = manager.Barrier(5);
        // Four workers, so that the four tasks run at once as on the guide's 8-core machine.
        using var pool = new Pool(4);
        var items = Enumerable.Range(0, 4).Select(i => (i, stop, running)).ToList();
        var result = pool.StarmapAsync(StoppableTask, items, chunksize: 1);
        // The guide's sleep(2) assumes the workers start at once; here the moment starts when all four tasks run.
        running.SignalAndWait(s_startTimeout);
        Py.Sleep(2);
        Console.WriteLine("Safely stopping all tasks");
        stop.Set();
        result.Wait();
        Console.WriteLine("All stopped");
        return 0;
    }

    // --- How to Kill All Tasks? ---

    private static bool LongTask(int identifier, BarrierProxy running)
    {
        Console.WriteLine($"Task {identifier} running");
        running.SignalAndWait(s_startTimeout);
        // The guide's ten seconds, not scaled down like the other sleeps: the pool is terminated 0.2 s after the
        // tasks start, and a busy machine must not let a task reach "Done" before the parent gets to Terminate.
        for (int i = 0; i < 10; i++)
        {
            Thread.Sleep(TimeSpan.FromSeconds(1));
        }

        Console.WriteLine($"Task {identifier} Done");
        return true;
    }

    private static int KillTasks()
    {
        using var manager = new Manager();
        var running = manager.Barrier(5);
        using var pool = new Pool(4);
        _ = pool.StarmapAsync(LongTask, Enumerable.Range(0, 4).Select(i => (i, running)), chunksize: 1);
        running.SignalAndWait(s_startTimeout);
        Py.Sleep(2);
        Console.WriteLine("Killing all tasks");
        pool.Terminate();
        pool.Join();
        return 0;
    }

    // --- How Do You Wait for All Tasks to Complete? ---

    private static bool HalfSecondTask(int identifier)
    {
        Py.Sleep(0.5);
        Console.WriteLine($"Task {identifier} done");
        return true;
    }

    private static int WaitAll()
    {
        using var pool = new Pool();
        var result = pool.MapAsync(HalfSecondTask, Enumerable.Range(0, 10));
        result.Wait();
        Console.WriteLine("All tasks are done");
        return 0;
    }

    // --- How Do You Get The First Result? ---

    private static (int Identifier, double Value) SlowRandomTask(int identifier)
    {
        double value = 2 + (Py.Random() * 10);
        Console.WriteLine($"Task {identifier} executing with {Py.Str(value)}");
        Py.Sleep(value);
        return (identifier, value);
    }

    private static int FirstResult()
    {
        using var pool = new Pool();
        // chunksize: 1 is Python's default for imap_unordered; ours would choose 4 here (30 items, 2 workers), and a
        // chunk's results come back together, so First() would be the first of the first chunk to finish.
        var it = pool.ImapUnordered(SlowRandomTask, Enumerable.Range(0, 30), chunksize: 1);
        var (identifier, value) = it.First();
        Console.WriteLine($"First result: identifier={identifier}, value={Py.Str(value)}");
        Console.WriteLine("Terminating remaining tasks");
        Py.Note("chunksize: 1 is passed: it is Python's default for imap_unordered, but ours chooses automatically for a counted input, whose chunk's results arrive together.");
        return 0;
    }

    // The worker's global `queue`, set by the initializer (Python: `global queue; queue = arg_queue`).
    private static QueueProxy<(int Identifier, double Value)>? s_queue;

    private static void InitWorker(QueueProxy<(int Identifier, double Value)> queue) => s_queue = queue;

    private static bool QueueTask(int identifier)
    {
        double value = 2 + (Py.Random() * 10);
        Console.WriteLine($"Task {identifier} executing with {Py.Str(value)}");
        Py.Sleep(value);
        s_queue!.Put((identifier, value));
        return true;
    }

    private static int FirstResultQueue()
    {
        using var manager = new Manager();
        var queue = manager.Queue<(int Identifier, double Value)>();
        using var pool = new Pool(new PoolOptions
        {
            Initializer = (Action<QueueProxy<(int, double)>>)InitWorker,
            InitArgs = [queue],
        });
        _ = pool.MapAsync(QueueTask, Enumerable.Range(0, 30), chunksize: 1);
        if (!queue.TryGet(TimeSpan.FromSeconds(60), out var first))
        {
            Console.WriteLine("No result within 60 s.");
            return 1;
        }

        Console.WriteLine($"First result: identifier={first.Identifier}, value={Py.Str(first.Value)}");
        Console.WriteLine("Terminating remaining tasks");
        return 0;
    }

    // --- How Do You Compare Serial to Parallel Performance? ---

    private static int CompareSerialParallel()
    {
        var clock = Stopwatch.StartNew();
        // do work with or without a process pool
        Py.Sleep(3);
        double totalTime = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Execution time: {totalTime:F1} seconds."));
        return 0;
    }

    // --- How Do You Submit a Follow-up Task? ---

    private static (int Identifier, double Value) Task1(int identifier)
    {
        double value = Py.Random();
        Py.Sleep(value);
        Console.WriteLine($">{identifier} generated {Py.Str(value)}");
        return (identifier, value);
    }

    private static (int Identifier, double Result, double Value) Task2(int identifier, double result)
    {
        double value = Py.Random();
        Py.Sleep(value);
        Console.WriteLine($">>{identifier} with {Py.Str(result)}, generated {Py.Str(value)}");
        return (identifier, result, value);
    }

    private static int FollowUp()
    {
        using (var pool = new Pool())
        {
            // The callback runs in this process, so it may use `pool` (only tasks must capture nothing).
            var result = pool.MapAsync(Task1, Enumerable.Range(0, 10), callback: results =>
            {
                foreach (var (i, v) in results)
                {
                    if (v > 0.5)
                    {
                        _ = pool.ApplyAsync(Task2, i, v);
                    }
                }
            });
            result.Wait();
            pool.Close();
            pool.Join();
        }

        Console.WriteLine("All done.");
        return 0;
    }

    // --- How Do You Show Progress of All Tasks? ---

    private static void RandomSleep() => Py.Sleep(Py.Random());

    private static int Progress()
    {
        using (var pool = new Pool())
        {
            var results = Enumerable.Range(0, 20).Select(_ => pool.ApplyAsync(RandomSleep, callback: static _ => Console.Write('.'))).ToList();
            pool.Close();
            pool.Join();
        }

        Console.WriteLine();
        Console.WriteLine("Done!");
        return 0;
    }

    // --- How Do You Issue Tasks From Within Tasks? ---

    private static int Square(int x) => x * x;

    private static string PoolTask(int n)
    {
        var worker = WorkerInfo.Current;
        ITaskPool pool = worker.Pool;
        Console.WriteLine($"Pool Details: <{pool.GetType().Name} seen from {worker}>");
        var squares = pool.Map(Square, Enumerable.Range(0, n));
        Console.WriteLine($"Follow-up tasks issued from the task returned [{string.Join(", ", squares)}]");
        return "ok";
    }

    private static int TasksFromTasks()
    {
        using var pool = new Pool();
        // No Manager-hosted pool is needed: inside a task, WorkerInfo.Current.Pool is the pool itself.
        _ = pool.ApplyAsync(PoolTask, 5, errorCallback: static error => Console.WriteLine(error.Message));
        pool.Close();
        pool.Join();
        Py.Note("Python prints <multiprocessing.pool.Pool state=CLOSE pool_size=8>; a task's ITaskPool has no state or size to show (it can only issue tasks).");
        return 0;
    }

    // --- How Do You Use Synchronization Primitives in Workers? ---

    private static bool LockedTask(int identifier, LockProxy sharedLock)
    {
        using (sharedLock.Acquire())
        {
            double value = Py.Random();
            Console.WriteLine($">process {identifier} got the lock, sleeping for {Py.Str(value)}");
            Py.Sleep(value);
        }

        return true;
    }

    private static int SyncPrimitives()
    {
        using var manager = new Manager();
        var sharedLock = manager.Lock();
        using var pool = new Pool();
        pool.Starmap(LockedTask, Enumerable.Range(0, 10).Select(i => (i, sharedLock)));
        Console.WriteLine("Done");
        return 0;
    }
}
