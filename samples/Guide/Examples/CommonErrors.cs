using Multiprocessing;

namespace Guide.Examples;

/// <summary>
/// The guide's "Common Errors When Using the Multiprocessing Pool". Each prints what happens here instead of
/// Python's failure: most of these mistakes do not compile in C#, and the ones that do fail at once with a
/// clear exception, never a hang.
/// </summary>
internal static class CommonErrors
{
    public static Example[] Examples =>
    [
        new("error-main-guard", "Error 1: Forgetting __main__", MainGuard),
        new("error-call-in-apply-async", "Error 2: Using a Function Call in apply_async()", CallInApplyAsync),
        new("error-call-in-map", "Error 3: Using a Function Call in map()", CallInMap),
        new("error-map-signature", "Error 4: Incorrect Function Signature for map()", MapSignature),
        new("error-callback-signature", "Error 5: Incorrect Function Signature for Callbacks", CallbackSignature),
        new("error-not-picklable", "Error 6: Arguments or Shared Data that Does Not Pickle", NotPicklable),
        new("error-print-flush", "Error 7: Not Flushing print() Statements", PrintFlush),
    ];

    private static int Task(int value)
    {
        Py.Sleep(1);
        return value;
    }

    private static string AllDone()
    {
        Py.Sleep(1);
        return "all done";
    }

    private static string AllDone(int value)
    {
        _ = value;
        Py.Sleep(1);
        return "all done";
    }

    private static string WriteTo(FileStream file)
    {
        file.Write("hi there"u8);
        return "all done";
    }

    private static void PrintDone(int value)
    {
        Py.Sleep(Py.Random());
        Console.WriteLine($"Done: {value}");
    }

    private static int MainGuard()
    {
        // No `if __name__ == '__main__':` here, nor anywhere in this program: a worker starts from a startup hook
        // before Main, so this line runs once, in the parent, however many workers start.
        Console.WriteLine($"[main] this line runs once, in process {Environment.ProcessId}");
        using var pool = new Pool();
        foreach (int result in pool.Map(Task, Enumerable.Range(0, 5)))
        {
            Console.WriteLine(result);
        }

        Py.Note("Python (spawn) fails with RuntimeError: \"An attempt has been made to start a new process before the current process has finished its bootstrapping phase\"; here no guard is needed and nothing runs twice.");
        return 0;
    }

    private static int CallInApplyAsync()
    {
        // pool.ApplyAsync(AllDone()) does not compile:
        Py.Note("pool.ApplyAsync(Task()) does not compile here: error CS1503: Argument 1: cannot convert from 'string' to 'System.Action' (Python: TypeError: 'str' object is not callable, from the worker).");
        Py.Note("the fix, as in the guide: pass the method, pool.ApplyAsync(Task):");
        using var pool = new Pool();
        var result = pool.ApplyAsync(AllDone);
        Console.WriteLine(result.Get());
        return 0;
    }

    private static int CallInMap()
    {
        Py.Note("pool.Map(Task(), Enumerable.Range(0, 5)) does not compile here: error CS7036: There is no argument given that corresponds to the required parameter 'value' of 'Task(int)' (Python: TypeError: task() missing 1 required positional argument: 'value').");
        Py.Note("the fix, as in the guide: pool.Map(Task, Enumerable.Range(0, 5)):");
        using var pool = new Pool();
        foreach (string result in pool.Map(AllDone, Enumerable.Range(0, 5)))
        {
            Console.WriteLine(result);
        }

        return 0;
    }

    private static int MapSignature()
    {
        Py.Note("pool.Map(Task) does not compile here: error CS1501: No overload for method 'Map' takes 1 arguments (Python: TypeError: map() missing 1 required positional argument: 'iterable').");
        using var pool = new Pool();
        try
        {
            // The nearest mistake that compiles: a null sequence. It fails at the call; nothing is sent.
            foreach (string result in pool.Map(AllDone, (IEnumerable<int>)null!))
            {
                Console.WriteLine(result);
            }
        }
        catch (ArgumentNullException e)
        {
            Console.WriteLine($"{e.GetType().Name}: {e.Message}");
        }

        Py.Note("the fix, as in the guide: pool.Map(Task, Enumerable.Range(0, 5)):");
        foreach (string result in pool.Map(AllDone, Enumerable.Range(0, 5)))
        {
            Console.WriteLine(result);
        }

        return 0;
    }

    private static int CallbackSignature()
    {
        Py.Note("callback: Handler with a Handler() that takes no result does not compile here: error CS1503: Argument 2: cannot convert from 'method group' to 'System.Action<string>?' (Python: TypeError: handler() takes 0 positional arguments but 1 was given, which kills the pool's result thread: the program hangs until Control-C).");
        Py.Note("the nearest mistake that compiles, a callback that throws (as Python's does), is reported, and the result still completes:");
        using var pool = new Pool();
        using var reported = new ManualResetEventSlim();
        pool.CallbackFailed += (_, e) =>
        {
            Console.WriteLine($"Exception in callback: {e.Exception.GetType().Name}: {e.Exception.Message}");
            reported.Set();
        };
        var result = pool.ApplyAsync(AllDone, callback: static _ => throw new ArgumentException("handler() takes 0 positional arguments but 1 was given"));
        string value = result.Get(TimeSpan.FromSeconds(30));
        // The event is raised just after the result becomes ready; wait for it so that the lines come in one order.
        bool wasReported = reported.Wait(TimeSpan.FromSeconds(30));
        Console.WriteLine(value);
        return wasReported ? 0 : 1;
    }

    private static int NotPicklable()
    {
        string path = Path.Combine(Path.GetTempPath(), $"guide-{Environment.ProcessId}-tmp.txt");
        try
        {
            using var file = File.Create(path);
            using var pool = new Pool();
            try
            {
                // The analyzer reports this at build time (MP0003: a stream cannot cross processes); silenced to show the run-time check.
#pragma warning disable MP0003
                var result = pool.ApplyAsync(WriteTo, file);
#pragma warning restore MP0003
                Console.WriteLine(result.Get());
            }
            catch (ArgumentException e)
            {
                Console.WriteLine("Traceback (most recent call last):");
                Console.WriteLine("  ...");
                Console.WriteLine($"{e.GetType().Name}: {e.Message}");
            }
        }
        finally
        {
            File.Delete(path);
        }

        Py.Note("as in Python, the call fails at once (ArgumentException, before anything is sent); the analyzer reports it at build time as MP0003.");
        return 0;
    }

    private static int PrintFlush()
    {
        using (var pool = new Pool())
        {
            pool.Map(static (int value) =>
            {
                PrintDone(value);
                return true;
            }, Enumerable.Range(0, 5));
        }

        Console.WriteLine("All done!");
        Py.Note("Console.WriteLine in a task reaches this console at once, line by line: there is nothing to flush (Python buffers a worker's print() unless flush=True).");
        return 0;
    }
}
