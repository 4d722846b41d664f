using Multiprocessing.Managers;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests;

/// <summary>
/// Issue 12: nothing a call passes or a task returns kills the parent or a worker. The scenarios that once killed
/// the parent run in a child process (a worker of an outer pool), and the test asserts the child survived.
/// </summary>
public sealed class RobustnessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Apply_ReferenceCycleOrDeepNestingAsArgumentOrResult_FailsThatCallClearlyAndEveryProcessSurvives()
    {
        using var child = new Pool(1);
        string[] report = child.ApplyAsync(RobustTasks.CyclesAndDepth, 0).Get(Timeout).Split('\n');

        // Arguments fail at the call, naming the type and why.
        Assert.StartsWith("ArgumentException: ", report[0]);
        Assert.Contains("Node refers back to itself", report[0]);
        Assert.StartsWith("ArgumentException: ", report[1]);
        Assert.Contains("reference cycle", report[1]);
        Assert.StartsWith("ArgumentException: ", report[2]);
        Assert.Contains("nests more than 500 levels", report[2]);

        // Results fail their task in the worker, which lives on.
        Assert.Contains("Node refers back to itself", report[3]);
        Assert.Contains("could not be serialized", report[3]);
        Assert.Contains("nests more than 500 levels", report[4]);
        Assert.Equal("same worker", report[5]);
        Assert.Equal("100", report[6]);
        Assert.Equal("1", report[7]);
    }

    [Fact]
    public void Deserialize_StreamNestedDeeperThanTheLimit_ThrowsInsteadOfOverflowingTheStack()
    {
        using var child = new Pool(1);
        string[] report = child.ApplyAsync(RobustTasks.ReadTooDeep, 100_000).Get(Timeout).Split('\n');
        Assert.All(report, line => Assert.StartsWith("MessagePackSerializationException: ", line));
        Assert.All(report, line => Assert.Contains("maximum depth", line));
    }

    [Fact]
    public void Apply_ExceptionWhoseGettersThrow_FailsThatTaskWithWhatCouldBeReadWorkerSurvives()
    {
        using var pool = new Pool(1);
        int pid = pool.Apply(Tasks.WorkerPid, 0);

        var message = Assert.Throws<RemoteException>(() => pool.Apply(RobustTasks.ThrowWithThrowingMessage, 0));
        Assert.Contains("MessageThrowsException", message.RemoteType);
        Assert.Contains("Message threw InvalidOperationException: Message getter failed", message.Message);
        Assert.Contains(nameof(RobustTasks.ThrowWithThrowingMessage), message.RemoteStackTrace);

        var every = Assert.Throws<RemoteException>(() => pool.Apply(RobustTasks.ThrowWithEveryGetterThrowing, 0));
        Assert.Contains("EveryGetterThrowsException", every.RemoteType);
        Assert.Contains("StackTrace threw", every.RemoteStackTrace);

        Assert.Equal(pid, pool.Apply(Tasks.WorkerPid, 0));
    }

    [Fact]
    public void WorkerCrash_LongCrashReport_CappedInTheExceptionAndNotRepeatedOnTheConsole()
    {
        // In a child, whose console the scenario captures: the crash report must reach it once, in the exception only.
        using var child = new Pool(1);
        string[] parts = child.ApplyAsync(RobustTasks.StderrOfACrash, 5000).Get(Timeout).Split('|', 3);
        int kept = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        string message = parts[2];
        Assert.InRange(kept, 3, 22);
        Assert.Equal("0", parts[1]);
        Assert.Contains("Unhandled exception. System.InvalidOperationException: flood line 0", message);
        Assert.Contains("lines left out", message);
        Assert.DoesNotContain("flood line 100\n", message);
        Assert.True(message.Length < 8000, $"the exception's message holds {message.Length} characters");
    }

    [Fact]
    public void ManagerValues_RandomUtf16WithLoneSurrogates_RoundTripExactly()
    {
        string[] strings = RandomStrings.Make(200);
        using var manager = new Manager();
        var value = manager.Value(string.Empty);
        var queue = manager.Queue<string>();
        var list = manager.List<string>();
        var dictionary = manager.Dictionary<string, string>();
        foreach (string s in strings)
        {
            value.Value = s;
            Assert.Equal(s, value.Value);
            queue.Put(s);
            Assert.True(queue.TryGet(Timeout, out string? got));
            Assert.Equal(s, got);
            list.Add(s);
            dictionary[s] = s + "!";
        }

        Assert.Equal(strings, list.ToList());
        Assert.Equal(strings.Distinct().ToDictionary(s => s, s => s + "!"), dictionary.ToDictionary());

        // And through a worker, which sees the same values.
        using var pool = new Pool(1);
        Assert.Equal(strings[^1], pool.Apply(static (ValueProxy<string> v) => v.Value, value));
    }
}
