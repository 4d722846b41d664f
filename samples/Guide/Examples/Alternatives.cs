using Multiprocessing;

namespace Guide.Examples;

/// <summary>
/// The guide's other pools: a single <c>Process</c>, the <c>ThreadPool</c> twin and <c>ProcessPoolExecutor</c>.
/// The guide lists a complete example only for the first; the other two are built from its snippets.
/// </summary>
internal static class Alternatives
{
    public static Example[] Examples =>
    [
        new("process", "What Are Python Processes (a Process running an ad hoc task)", Process),
        new("thread-pool", "Why Not Use The ThreadPool Instead? (Pattern 1 on ThreadedPool; from the guide's snippets)", ThreadPool),
        new("executor", "Multiprocessing Pool vs ProcessPoolExecutor (submit, map, as_completed, wait, cancel, exception; from the guide's snippets)", Executor),
    ];

    private static void AnotherProcess() => Console.WriteLine($"This is another process");

    private static int Process()
    {
        // There is no Process class here: a pool of one worker process runs the one task.
        using var pool = new Pool(1);
        pool.Apply(AnotherProcess);
        pool.Close();
        pool.Join();
        Py.Note("Multiprocessing.NET has no Process class (Process(target=task).start()/join()); a Pool(1) with Apply stands in.");
        return 0;
    }

    private static (int Value, double Random) Task(int value)
    {
        double randomValue = Py.Random();
        Py.Sleep(randomValue);
        return (value, randomValue);
    }

    private static int ThreadPool()
    {
        // The same code as Pattern 1, on threads: only the constructor changes (both are IPool).
        using IPool pool = new ThreadedPool();
        foreach (var result in pool.Map(Task, Enumerable.Range(0, 10)))
        {
            Console.WriteLine($">got {Py.Str(result)}");
        }

        // A ThreadedPool task may capture variables: it never leaves this process.
        int offset = 100;
        var shifted = pool.Map(x => x + offset, Enumerable.Range(0, 3));
        Console.WriteLine($"ThreadedPool tasks may capture: [{string.Join(", ", shifted)}]");
        return 0;
    }

    private static int Square(int x)
    {
        Py.Sleep(Py.Random());
        return x * x;
    }

    private static int Fail(int x) => throw new InvalidOperationException($"Something bad happened with {x}!");

    private static int Executor()
    {
        return Run().GetAwaiter().GetResult();

        static async Task<int> Run()
        {
            // with ProcessPoolExecutor(max_workers=4) as executor:
            using var executor = new Pool(4);

            // future = executor.submit(task, item); result = future.result()
            var future = executor.ApplyAsync(Square, 7);
            Console.WriteLine($"submit: {future.Get()}");

            // for result in executor.map(task, items): (results in order, each as soon as it is ready)
            Console.WriteLine($"map: [{string.Join(", ", executor.Imap(Square, Enumerable.Range(0, 5)))}]");

            // as_completed(futures)
            var futures = Enumerable.Range(0, 5).Select(i => executor.ApplyAsync(Square, i).AsTask()).ToList();
            var completed = new List<int>();
            await foreach (var done in System.Threading.Tasks.Task.WhenEach(futures))
            {
                completed.Add(await done);
            }

            Console.WriteLine($"as_completed: {completed.Count} results, sorted [{string.Join(", ", completed.Order())}]");

            // wait(futures, return_when=FIRST_COMPLETED)
            var first = await System.Threading.Tasks.Task.WhenAny(Enumerable.Range(0, 5).Select(i => executor.ApplyAsync(Square, i).AsTask()));
            Console.WriteLine($"wait(FIRST_COMPLETED): one done, {await first}");

            // future.cancel(): ours cancels running tasks too, not only queued ones.
            var cancelled = executor.ApplyAsync(Square, 9);
            Console.WriteLine($"cancel: {cancelled.Cancel()}");

            // future.exception(): AsyncResult has no Exception property; its Task has.
            var failed = executor.ApplyAsync(Fail, 3);
            failed.Wait();
            Console.WriteLine($"exception: {failed.AsTask().Exception?.InnerException?.Message}");

            // executor.shutdown()
            executor.Close();
            executor.Join();
            Py.Note("AsyncResult has no exception() of its own (Python's Pool has none either): failed.AsTask().Exception stands in.");
            return 0;
        }
    }
}
