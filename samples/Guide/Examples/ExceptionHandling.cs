using Multiprocessing;

namespace Guide.Examples;

/// <summary>The guide's "Multiprocessing Pool Exception Handling": in the initializer, in a task, in a callback.</summary>
internal static class ExceptionHandling
{
    public static Example[] Examples =>
    [
        new("initializer-error", "Exception Handling in Worker Initialization", InitializerError),
        new("task-error-in-task", "Exception Handling Within the Task", HandledInTask),
        new("task-error-get", "Exception Handling Outside the Task (apply_async, then get)", HandledByGet),
        new("task-error-apply", "Exception Handling Outside the Task (apply)", HandledByApply),
        new("task-error-successful", "Check for a Task Exception", CheckSuccessful),
        new("map-error", "Exception Handling When Calling map()", MapError),
        new("callback-error", "Exception Handling in Task Completion Callbacks", CallbackError),
    ];

    private static void Init() => throw new InvalidOperationException("Something bad happened!");

    private static void SleepTask() => Py.Sleep(1);

    private static string CatchingTask()
    {
        Py.Sleep(1);
        try
        {
            throw new InvalidOperationException("Something bad happened!");
        }
        catch (InvalidOperationException)
        {
            return "Unable to get the result";
        }
    }

    private static string FailingTask()
    {
        Py.Sleep(1);
        throw new InvalidOperationException("Something bad happened!");
    }

    private static int FailOnTwo(int value)
    {
        Py.Sleep(1);
        return value == 2 ? throw new InvalidOperationException("Something bad happened!") : value;
    }

    private static int TwentyTwo()
    {
        Py.Sleep(1);
        return 22;
    }

    private static int InitializerError()
    {
        try
        {
            using var pool = new Pool(new PoolOptions { Initializer = Init });
            pool.Apply(SleepTask);
        }
        catch (BrokenPoolException e)
        {
            Console.WriteLine("Traceback (most recent call last):");
            Console.WriteLine("  ...");
            Console.WriteLine($"{e.GetType().Name}: {e.Message}");
            Console.WriteLine($"{e.InnerException?.GetType().Name}: {e.InnerException?.Message}");
        }

        Py.Note("Python respawns the failing workers over and over; here the pool breaks once and every call fails with BrokenPoolException (the initializer's exception inside).");
        return 0;
    }

    private static int HandledInTask()
    {
        using var pool = new Pool();
        var result = pool.ApplyAsync(CatchingTask);
        Console.WriteLine(result.Get());
        return 0;
    }

    private static int HandledByGet()
    {
        using var pool = new Pool();
        var result = pool.ApplyAsync(FailingTask);
        try
        {
            Console.WriteLine(result.Get());
        }
        catch (InvalidOperationException)
        {
            Console.WriteLine("Unable to get the result");
        }

        return 0;
    }

    private static int HandledByApply()
    {
        using var pool = new Pool();
        try
        {
            Console.WriteLine(pool.Apply(FailingTask));
        }
        catch (InvalidOperationException)
        {
            Console.WriteLine("Unable to get the result");
        }

        return 0;
    }

    private static int CheckSuccessful()
    {
        using var pool = new Pool();
        var result = pool.ApplyAsync(FailingTask);
        result.Wait();
        Console.WriteLine(result.IsSuccessful ? result.Get() : "Unable to get the result");
        return 0;
    }

    private static int MapError()
    {
        using var pool = new Pool();
        try
        {
            foreach (int result in pool.Map(FailOnTwo, Enumerable.Range(0, 5)))
            {
                Console.WriteLine(result);
            }
        }
        catch (InvalidOperationException e)
        {
            // Python lets the exception end the program with its traceback; printed here, so that the example exits 0.
            Console.WriteLine("Traceback (most recent call last):");
            Console.WriteLine("  ...");
            Console.WriteLine($"{e.GetType().Name}: {e.Message}");
            Py.Note("the task's exception arrives with its own type and message, the worker's stack as its remote stack trace; no results are printed, as in Python.");
        }

        return 0;
    }

    private static int CallbackError()
    {
        using var pool = new Pool();
        using var reported = new ManualResetEventSlim();
        pool.CallbackFailed += (_, e) =>
        {
            Console.WriteLine($"Exception in callback: {e.Exception.GetType().Name}: {e.Exception.Message}");
            reported.Set();
        };
        var result = pool.ApplyAsync(TwentyTwo, callback: Handler);
        bool done = result.Wait(TimeSpan.FromSeconds(30));
        // The event is raised just after the result becomes ready; wait for it so the lines keep the guide's order.
        done &= reported.Wait(TimeSpan.FromSeconds(30));
        Py.Note(done
            ? $"Python's pool hangs here forever (its result thread died); here the result is ready (Get() = {result.Get()}) and the callback's exception went to the CallbackFailed event."
            : "the result was not ready within 30 s: that would be a bug.");
        return done ? 0 : 1;

        static void Handler(int result)
        {
            Console.WriteLine($"Got result {result}");
            throw new InvalidOperationException("Something bad happened!");
        }
    }
}
