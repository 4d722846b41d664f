using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Multiprocessing.Tests.Integration;

/// <summary>
/// Runs every example of samples/Guide (the guide's complete examples, ported) as a child process,
/// <c>dotnet Guide.dll COMMAND</c>, from the Guide.dll built with this test project, and checks the shape of
/// what it prints against what the guide's Python original prints: exit code 0, the key lines, and their order
/// where the original's order is deterministic. Lines a task prints in a worker process reach the console through
/// the parent's forwarding of the worker's stdout, which is not ordered with the results (a worker's line can
/// follow a parent's line printed after the task's result arrived), so those are checked for presence only.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GuideSamplesTests
{
    /// <summary>A float as the examples print it (Python's repr: "0.5223115198151266", "1e-05" would be "1E-05").</summary>
    private const string F = @"[0-9][0-9.Ee+-]*";

    private static readonly TimeSpan s_runTimeout = TimeSpan.FromSeconds(90);

    private static readonly Lazy<string> s_guideDll = new(FindGuideDll);

    /// <summary>What each example must print. A new example without an entry here fails <see cref="List_NamesEveryExample_AndEveryOneHasAShapeHere"/>.</summary>
    private static readonly Dictionary<string, Shape> s_shapes = new()
    {
        ["process"] = new(InOrder: [@"^This is another process$"]),
        ["hash-words-serial"] = new(InOrder: [@"^Loaded [1-9]\d* words from ", @"^Done, with [1-9]\d* hashes$"]),
        ["hash-words"] = new(InOrder: [@"^Loaded [1-9]\d* words from ", @"^Done, with [1-9]\d* hashes$"]),
        ["map-iterate"] = new(InOrder: Each(10, i => $@"^>got \({i}, {F}\)$"), Count: (@"^>got ", 10)),
        ["apply-async-forget"] = new(Anywhere: [$@"^>task got \(1, {F}\)$"], Count: (@"^>task got ", 1)),
        ["map-async-forget"] = new(Anywhere: Each(10, i => $@"^>task got \({i}, {F}\)$"), Count: (@"^>task got ", 10)),
        ["imap-unordered-as-completed"] = new(Anywhere: Each(10, i => $@"^>got \({i}, {F}\)$"), Count: (@"^>got ", 10)),
        ["imap-unordered-first"] = new(InOrder: [$@"^>got \(\d, {F}\)$"], Count: (@"^>got ", 1)),
        ["initializer-error"] = new(InOrder: [@"^BrokenPoolException: .*Something bad happened!", @"^InvalidOperationException: Something bad happened!$", @"pool breaks once"]),
        ["task-error-in-task"] = new(InOrder: [@"^Unable to get the result$"]),
        ["task-error-get"] = new(InOrder: [@"^Unable to get the result$"]),
        ["task-error-apply"] = new(InOrder: [@"^Unable to get the result$"]),
        ["task-error-successful"] = new(InOrder: [@"^Unable to get the result$"]),
        ["map-error"] = new(InOrder: [@"^Traceback", @"^InvalidOperationException: Something bad happened!$"], Absent: [@"^\d$"]),
        ["callback-error"] = new(InOrder: [@"^Got result 22$", @"^Exception in callback: InvalidOperationException: Something bad happened!$", @"hangs here forever.*Get\(\) = 22"]),
        ["error-main-guard"] = new(InOrder: [@"^\[main\] this line runs once", .. Each(5, i => $"^{i}$"), @"no guard is needed"], Count: (@"^\[main\]", 1)),
        ["error-call-in-apply-async"] = new(InOrder: [@"does not compile here: error CS1503", @"^all done$"]),
        ["error-call-in-map"] = new(InOrder: [@"does not compile here: error CS7036", @"the fix"], Count: (@"^all done$", 5)),
        ["error-map-signature"] = new(InOrder: [@"does not compile here: error CS1501", @"^ArgumentNullException: .*iterable", @"the fix"], Count: (@"^all done$", 5)),
        ["error-callback-signature"] = new(InOrder: [@"does not compile here: error CS1503", @"^Exception in callback: ArgumentException: ", @"^all done$"]),
        ["error-not-picklable"] = new(InOrder: [@"^ArgumentException: .*FileStream", @"MP0003"]),
        ["error-print-flush"] = new(Anywhere: [.. Each(5, i => $"^Done: {i}$"), @"^All done!$"], Count: (@"^Done: ", 5)),
        ["stop-tasks"] = new(
            InOrder: [@"^Safely stopping all tasks$", @"^All stopped$"],
            Anywhere: [.. Each(4, i => $"^Task {i} running$"), .. Each(4, i => $@"^Task {i} stopping\.\.\.$"), .. Each(4, i => $"^Task {i} Done$")]),
        ["kill-tasks"] = new(InOrder: [@"^Killing all tasks$"], Anywhere: Each(4, i => $"^Task {i} running$"), Absent: [@"Done"]),
        ["wait-all"] = new(Anywhere: [.. Each(10, i => $"^Task {i} done$"), @"^All tasks are done$"], Count: (@"^Task \d done$", 10)),
        ["first-result"] = new(InOrder: [$@"^First result: identifier=\d+, value={F}$", @"^Terminating remaining tasks$"], Anywhere: [$@"^Task \d+ executing with {F}$"], Count: (@"^First result", 1)),
        ["first-result-queue"] = new(InOrder: [$@"^First result: identifier=\d+, value={F}$", @"^Terminating remaining tasks$"], Anywhere: [$@"^Task \d+ executing with {F}$"], Count: (@"^First result", 1)),
        ["compare-serial-parallel"] = new(InOrder: [@"^Execution time: \d+\.\d seconds\.$"]),
        ["follow-up"] = new(Anywhere: [.. Each(10, i => $@"^>{i} generated {F}$"), @"^All done\.$"], Extra: CheckFollowUps),
        ["progress"] = new(InOrder: [@"^\.{20}$", @"^Done!$"]),
        ["tasks-from-tasks"] = new(InOrder: [@"^Pool Details: <\w+ seen from PoolWorker-\d+ \(pid \d+\)>$", @"returned \[0, 1, 4, 9, 16\]$"]),
        ["sync-primitives"] = new(Anywhere: [.. Each(10, i => $"^>process {i} got the lock, sleeping for {F}$"), @"^Done$"], Count: (@"got the lock", 10)),
        ["thread-pool"] = new(InOrder: [.. Each(10, i => $@"^>got \({i}, {F}\)$"), @"may capture: \[100, 101, 102\]$"]),
        ["executor"] = new(InOrder:
        [
            @"^submit: 49$", @"^map: \[0, 1, 4, 9, 16\]$", @"^as_completed: 5 results, sorted \[0, 1, 4, 9, 16\]$",
            @"^wait\(FIRST_COMPLETED\): one done, (0|1|4|9|16)$", @"^cancel: (True|False)$", @"^exception: Something bad happened with 3!$",
        ]),
    };

    private readonly ITestOutputHelper _log;

    public GuideSamplesTests(ITestOutputHelper log) => _log = log;

    public static TheoryData<string> Commands => [.. s_shapes.Keys];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Example_Run_PrintsTheShapeOfTheGuidesOutput(string command)
    {
        var run = await RunAsync(command);
        Assert.True(run.ExitCode == 0, $"The example failed (exit code {run.ExitCode})." + Environment.NewLine + run.Transcript);
        s_shapes[command].Check(run.Lines, run.Transcript);
    }

    [Fact]
    public async Task List_NamesEveryExample_AndEveryOneHasAShapeHere()
    {
        var run = await RunAsync("list");
        Assert.True(run.ExitCode == 0, "list failed." + Environment.NewLine + run.Transcript);

        // "command  Section title": every line before the blank line.
        var listed = run.Lines.TakeWhile(l => l.Length > 0).Select(l => l.Split(' ', 2)[0]).ToList();
        Assert.True(listed.Count == listed.Distinct().Count(), "A command is listed twice." + Environment.NewLine + run.Transcript);
        var noShape = listed.Except(s_shapes.Keys).ToList();
        var missing = s_shapes.Keys.Except(listed).ToList();
        Assert.True(noShape.Count == 0, $"Examples with no expected shape in {nameof(GuideSamplesTests)}: {string.Join(", ", noShape)}");
        Assert.True(missing.Count == 0, $"Expected examples that `list` does not name: {string.Join(", ", missing)}");
        Assert.Contains(run.Lines, l => Regex.IsMatch(l, @"^Sleeps are the guide's times 0\.1 "));
    }

    private static string[] Each(int count, Func<int, string> pattern) => [.. Enumerable.Range(0, count).Select(pattern)];

    /// <summary>Follow-up tasks: exactly the first-round results above 0.5 get a second-round line, with that value.</summary>
    private static void CheckFollowUps(string[] lines, string transcript)
    {
        var first = lines.Select(l => Regex.Match(l, $@"^>(?<i>\d) generated (?<v>{F})$")).Where(m => m.Success)
            .ToDictionary(m => m.Groups["i"].Value, m => m.Groups["v"].Value);
        var expected = first.Where(kv => double.Parse(kv.Value, CultureInfo.InvariantCulture) > 0.5).Select(kv => $">>{kv.Key} with {kv.Value}, generated ").Order().ToList();
        var actual = lines.Where(l => l.StartsWith(">>", StringComparison.Ordinal)).Select(l => l[..(l.IndexOf("generated ", StringComparison.Ordinal) + "generated ".Length)]).Order().ToList();
        Assert.True(expected.SequenceEqual(actual), $"Expected follow-ups for [{string.Join("; ", expected)}], got [{string.Join("; ", actual)}]." + Environment.NewLine + transcript);
    }

    private static string FindGuideDll()
    {
        string pathFile = Path.Combine(AppContext.BaseDirectory, "guide-sample-path.txt");
        Assert.True(File.Exists(pathFile), $"No {pathFile}: the test project's WriteGuideSamplePath target writes it when it builds samples/Guide.");
        string dll = File.ReadAllText(pathFile).Trim();
        Assert.True(File.Exists(dll), $"{pathFile} names {dll}, which does not exist: build the test project again.");
        return dll;
    }

    private async Task<Run> RunAsync(string command)
    {
        var result = await DotnetCommand.RunAsync(DotnetCommand.Host, [s_guideDll.Value, command], Path.GetTempPath(), s_runTimeout);
        var run = new Run($"dotnet Guide.dll {command}", result.ExitCode, result.StandardOutput, result.Output, result.Elapsed);
        _log.WriteLine($"{run.Elapsed.TotalSeconds:F1} s  exit {run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"}  {run.Command}");
        Assert.False(result.TimedOut, $"Did not finish within {s_runTimeout.TotalSeconds} s; killed." + Environment.NewLine + run.Transcript);
        return run;
    }

    /// <summary>What an example must print: lines matching <paramref name="InOrder"/> in that order (others may come between),
    /// lines matching each of <paramref name="Anywhere"/>, none matching <paramref name="Absent"/>, and exactly
    /// <c>Count.Times</c> lines matching <c>Count.Pattern</c>.</summary>
    private sealed record Shape(
        string[]? InOrder = null,
        string[]? Anywhere = null,
        string[]? Absent = null,
        (string Pattern, int Times)? Count = null,
        Action<string[], string>? Extra = null)
    {
        public void Check(string[] lines, string transcript)
        {
            int at = 0;
            foreach (string pattern in InOrder ?? [])
            {
                while (at < lines.Length && !Regex.IsMatch(lines[at], pattern))
                {
                    at++;
                }

                Assert.True(at < lines.Length, $"Expected a line matching /{pattern}/ (after the lines matched before it, in order)." + Environment.NewLine + transcript);
                at++;
            }

            foreach (string pattern in Anywhere ?? [])
            {
                Assert.True(lines.Any(l => Regex.IsMatch(l, pattern)), $"Expected a line matching /{pattern}/." + Environment.NewLine + transcript);
            }

            foreach (string pattern in Absent ?? [])
            {
                Assert.False(lines.Any(l => Regex.IsMatch(l, pattern)), $"Expected no line matching /{pattern}/." + Environment.NewLine + transcript);
            }

            if (Count is var (countPattern, times))
            {
                int n = lines.Count(l => Regex.IsMatch(l, countPattern));
                Assert.True(n == times, $"Expected {times} line(s) matching /{countPattern}/, got {n}." + Environment.NewLine + transcript);
            }

            Extra?.Invoke(lines, transcript);
        }
    }

    private sealed record Run(string Command, int? ExitCode, string StandardOutput, string Output, TimeSpan Elapsed)
    {
        public string[] Lines
        {
            get
            {
                string[] all = StandardOutput.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
                return all.Length > 0 && all[^1].Length == 0 ? all[..^1] : all;
            }
        }

        public string Transcript
            => $"$ {Command}{Environment.NewLine}(exit code {ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}, {Elapsed.TotalSeconds:F1} s){Environment.NewLine}" +
               $"--- stdout ---{Environment.NewLine}{StandardOutput}{Environment.NewLine}--- stdout and stderr as they came ---{Environment.NewLine}{Output}";
    }
}
