namespace Multiprocessing.Tests.Support;

/// <summary>Inputs and results that once killed a process (issue 12), and the scenarios run in a child around them.</summary>
public static class RobustTasks
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>A node whose <see cref="Next"/> may point back at itself.</summary>
    public sealed class Node
    {
        public int Value { get; set; }

        public Node? Next { get; set; }
    }

    public static Node Cycle(int value)
    {
        var node = new Node { Value = value };
        node.Next = node;
        return node;
    }

    public static int ValueOf(Node node) => node.Value;

    public static Node ReturnCycle(int value) => Cycle(value);

    public static List<object> Nested(int depth)
    {
        var root = new List<object>();
        var current = root;
        for (int i = 1; i < depth; i++)
        {
            var next = new List<object>();
            current.Add(next);
            current = next;
        }

        return root;
    }

    public static int DepthOf(List<object> list)
    {
        int depth = 1;
        while (list.Count > 0)
        {
            list = (List<object>)list[0];
            depth++;
        }

        return depth;
    }

    public static List<object> ReturnNested(int depth) => Nested(depth);

    public static int ThrowWithThrowingMessage(int _) => throw new MessageThrowsException();

    public static int ThrowWithEveryGetterThrowing(int _) => throw new EveryGetterThrowsException();

    /// <summary>Dies of an unhandled exception whose message has <paramref name="lines"/> lines: a crash report that long.</summary>
    public static int CrashWithLongReport(int lines)
    {
        var thread = new Thread(() => throw new InvalidOperationException(string.Join("\n", Enumerable.Range(0, lines).Select(i => $"flood line {i}"))));
        thread.Start();
        thread.Join();
        return 0;
    }

    /// <summary>Runs <see cref="CrashWithLongReport"/> in a pool of this (child) process, catching what reaches its console.</summary>
    public static string StderrOfACrash(int lines)
    {
        var captured = new StringWriter();
        var original = Console.Error;
        Console.SetError(TextWriter.Synchronized(captured));
        string message;
        int kept;
        try
        {
            using var pool = new Pool(1);
            try
            {
                pool.Apply(CrashWithLongReport, lines);
                message = "no crash";
                kept = -1;
            }
            catch (WorkerCrashedException ex)
            {
                message = ex.Message;
                kept = ex.LastStandardError.Count;
            }
        }
        finally
        {
            Console.SetError(original);
        }

        int shown = captured.ToString().Split('\n').Count(l => l.Contains("flood line", StringComparison.Ordinal));
        return $"{kept}|{shown}|{message}";
    }

    /// <summary>Every call form with <c>chunksize: int.MaxValue</c>, in a pool of this (child) process.</summary>
    public static string HugeChunksize(bool processes)
    {
        using IPool pool = processes ? new Pool(2) : new ThreadedPool(2);
        int[] items = [.. Enumerable.Range(0, 100)];
        int[] squares = [.. items.Select(x => x * x)];
        (int, int)[] pairs = [.. items.Select(x => (x, x))];
        int[] sums = [.. items.Select(x => x + x)];
        var checks = new List<string>();
        void Check(string what, IEnumerable<int> actual, IEnumerable<int> expected)
        {
            if (!actual.SequenceEqual(expected))
            {
                checks.Add(what);
            }
        }

        Check("Map", pool.Map(Tasks.Square, items, int.MaxValue), squares);
        Check("Map lazy", pool.Map(Tasks.Square, items.Select(x => x), int.MaxValue), squares);
        Check("MapAsync", pool.MapAsync(Tasks.Square, items, int.MaxValue).Get(Timeout), squares);
        Check("Imap", pool.Imap(Tasks.Square, items, int.MaxValue), squares);
        Check("Imap lazy", pool.Imap(Tasks.Square, items.Select(x => x), int.MaxValue), squares);
        Check("ImapUnordered", pool.ImapUnordered(Tasks.Square, items.Select(x => x), int.MaxValue).Order(), squares);
        Check("ImapAsync", pool.ImapAsync(Tasks.Square, items.Select(x => x), int.MaxValue).ToBlockingEnumerable(), squares);
        Check("ImapUnorderedAsync", pool.ImapUnorderedAsync(Tasks.Square, items.Select(x => x), int.MaxValue).ToBlockingEnumerable().Order(), squares);
        Check("ImapAsync of async input", pool.ImapAsync(Tasks.Square, Async(items), int.MaxValue).ToBlockingEnumerable(), squares);
        Check("Starmap", pool.Starmap(Tasks.Add, pairs, int.MaxValue), sums);
        Check("StarmapAsync", pool.StarmapAsync(Tasks.Add, pairs, int.MaxValue).Get(Timeout), sums);
        pool.Close();
        pool.Join();
        return checks.Count == 0 ? "ok" : "wrong results from " + string.Join(", ", checks);
    }

    /// <summary>An input whose enumerator cannot even be made, through each feeder, in a pool of this (child) process.</summary>
    public static string FeederFailures(bool processes)
    {
        using IPool pool = processes ? new Pool(2) : new ThreadedPool(2);
        var report = new List<string>
        {
            Catch(() => pool.Imap(Tasks.Square, new Unenumerable()).ToList()),
            Catch(() => pool.ImapUnorderedAsync(Tasks.Square, new Unenumerable()).ToBlockingEnumerable().ToList()),
            Catch(() => pool.ImapAsync(Tasks.Square, new UnenumerableAsync()).ToBlockingEnumerable().ToList()),
            pool.Map(Tasks.Square, [3]).Single().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return string.Join("\n", report);
    }

    /// <summary>A cycle and a deep list as arguments, then as results; the parent (this child) must survive and say why.</summary>
    public static string CyclesAndDepth(int _)
    {
        using var pool = new Pool(1);
        var report = new List<string>();
        int pid = pool.Apply(Tasks.WorkerPid, 0);
        report.Add(Catch(() => pool.Apply(ValueOf, Cycle(1))));
        report.Add(Catch(() => pool.Map(ValueOf, [Cycle(2)])));
        report.Add(Catch(() => pool.Apply(DepthOf, Nested(10_000))));
        report.Add(Catch(() => pool.Apply(ReturnCycle, 3)));
        report.Add(Catch(() => pool.Apply(ReturnNested, 10_000)));
        report.Add(pool.Apply(Tasks.WorkerPid, 0) == pid ? "same worker" : "worker replaced");
        report.Add(pool.Apply(DepthOf, Nested(100)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        report.Add(pool.Apply(ReturnNested, 100).Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return string.Join("\n", report);
    }

    /// <summary>
    /// Reads a stream of 100,000 nested arrays (a depth no writer of ours produces) as each end reads a result or an
    /// argument; without a limit the reader's recursion overflows the stack of this (child) process.
    /// </summary>
    public static string ReadTooDeep(int depth)
    {
        byte[] bytes = [.. Enumerable.Repeat((byte)0x91, depth), 0xC0];
        var serializer = new MessagePackPoolSerializer();
        return string.Join("\n", Catch(() => serializer.Deserialize<object>(bytes), innermost: true), Catch(() => serializer.Deserialize<List<object>[]>(bytes), innermost: true));
    }

    private static string Catch(Action action, bool innermost = false)
    {
        try
        {
            action();
            return "no exception";
        }
        catch (Exception ex)
        {
            return ex.GetType().Name + ": " + (innermost ? ex.GetBaseException().Message : ex.Message);
        }
    }

    private static async IAsyncEnumerable<int> Async(IEnumerable<int> items)
    {
        foreach (int item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }

    public sealed class Unenumerable : IEnumerable<int>
    {
        public IEnumerator<int> GetEnumerator() => throw new FormatException("no enumerator today");

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public sealed class UnenumerableAsync : IAsyncEnumerable<int>
    {
        public IAsyncEnumerator<int> GetAsyncEnumerator(CancellationToken cancellationToken = default) => throw new FormatException("no enumerator today");
    }

    public sealed class MessageThrowsException : Exception
    {
        public override string Message => throw new InvalidOperationException("Message getter failed");
    }

    public sealed class EveryGetterThrowsException : Exception
    {
        public override string Message => throw new InvalidOperationException("Message getter failed");

        public override string StackTrace => throw new InvalidOperationException("StackTrace getter failed");

        public override System.Collections.IDictionary Data => throw new InvalidOperationException("Data getter failed");
    }
}
