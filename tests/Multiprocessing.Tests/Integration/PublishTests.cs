using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Multiprocessing.Tests.Support;
using Xunit.Abstractions;

namespace Multiprocessing.Tests.Integration;

/// <summary>
/// Builds and publishes samples/ExecDemo for real (self-contained, single-file, framework-dependent) and runs
/// the result, which maps over a pool of two workers and prints
/// <c>sum=&lt;sum of squares&gt; workers=&lt;worker pids&gt; parent=&lt;its pid&gt;</c>, then counts to 8 in tasks through
/// Manager proxies (so the workers load Multiprocessing.Managers too) and prints <c>managed=8 in=&lt;pids&gt;</c>. The tests run one after
/// another and apart from every other test (a publish takes the whole machine on 2 cores, which would
/// starve timing-sensitive pool tests); each builds into its own temporary folder (<c>--artifacts-path</c>),
/// so none shares an obj folder with another or with the developer's own builds.
/// </summary>
[Trait("Category", "Integration")]
[Collection(PublishCollection.Name)]
public sealed class PublishTests : IDisposable
{
    private const string DemoName = "ExecDemo";

    /// <summary>The sum of x * x for x in 0..999.</summary>
    private const int ExpectedSum = 332_833_500;

    // The demo builds the core and Multiprocessing.Managers (each precompiled in Release) beside itself and the analyzers: minutes on a loaded CI machine.
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_workerExitTimeout = TimeSpan.FromSeconds(10);

    private readonly ITestOutputHelper _log;
    private readonly string _temp = Directory.CreateTempSubdirectory("mp-publish-").FullName;

    public PublishTests(ITestOutputHelper log) => _log = log;

    private static string DemoProject => Path.Combine(Repository.Root, "samples", DemoName, DemoName + ".csproj");

    private static string ExeName => OperatingSystem.IsWindows() ? DemoName + ".exe" : DemoName;

    private static string RuntimeId
        => (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-"
           + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    private static string DotnetHost => DotnetCommand.Host;

    [Fact]
    public async Task Publish_SelfContainedExecMode_RunsMapInWorkerProcesses()
    {
        string output = await PublishAsync();

        Assert.True(
            Directory.EnumerateFiles(output, "System.Private.CoreLib.dll").Any(),
            $"A self-contained publish should carry the runtime; {output} has: {string.Join(", ", Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Take(20))} …");
        await RunDemoAsync(Path.Combine(output, ExeName), ["exec"]);
    }

    [Fact]
    public async Task Publish_SingleFileExecMode_RunsMapInWorkerProcesses()
    {
        string output = await PublishAsync("-p:PublishSingleFile=true");

        string[] assemblies = [.. Directory.EnumerateFiles(output, "*.dll").Select(Path.GetFileName)!];
        Assert.True(assemblies.Length == 0, $"A single-file publish should hold no loose assemblies, but {output} has: {string.Join(", ", assemblies)}");
        await RunDemoAsync(Path.Combine(output, ExeName), ["exec"]);
    }

    [Fact]
    public async Task Build_FrameworkDependent_RunsMapThroughAppHostAndDotnet()
    {
        string output = Path.Combine(_temp, "build");
        var build = await RunAsync(
            DotnetHost,
            ["build", DemoProject, "-c", "Release", "-o", output, .. CommonBuildArguments()],
            s_buildTimeout);
        Assert.True(build.ExitCode == 0, "The build failed." + Environment.NewLine + build.Transcript);

        // Spawn through the app host and through `dotnet app.dll`, as asked; Exec through the app host
        // re-runs the app host; Exec under `dotnet` falls back to starting workers as Spawn does.
        await RunDemoAsync(Path.Combine(output, ExeName), ["spawn"]);
        await RunDemoAsync(DotnetHost, [Path.Combine(output, DemoName + ".dll"), "spawn"]);
        await RunDemoAsync(Path.Combine(output, ExeName), ["exec"]);
        await RunDemoAsync(DotnetHost, [Path.Combine(output, DemoName + ".dll"), "exec"]);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_temp, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.WriteLine($"Could not delete {_temp}: {ex.Message}");
        }
    }

    private static string[] CommonBuildArguments(string artifacts) =>
    [
        "--artifacts-path", artifacts,

        .. DotnetCommand.NoLeftovers,
    ];

    private string[] CommonBuildArguments() => CommonBuildArguments(Path.Combine(_temp, "artifacts"));

    private async Task<string> PublishAsync(params string[] extra)
    {
        string output = Path.Combine(_temp, "publish");
        var publish = await RunAsync(
            DotnetHost,
            ["publish", DemoProject, "-c", "Release", "-r", RuntimeId, "--self-contained", "true", "-o", output, .. CommonBuildArguments(), .. extra],
            s_buildTimeout);
        Assert.True(publish.ExitCode == 0, "The publish failed." + Environment.NewLine + publish.Transcript);
        Assert.True(File.Exists(Path.Combine(output, ExeName)), $"The publish made no {ExeName}." + Environment.NewLine + publish.Transcript);
        return output;
    }

    /// <summary>Runs the demo and checks its line: the right sum, computed by 1 or 2 workers that are not this process, all gone afterwards.</summary>
    private async Task RunDemoAsync(string fileName, string[] arguments)
    {
        var run = await RunAsync(fileName, arguments, s_runTimeout);
        Assert.True(run.ExitCode == 0, $"The demo failed (exit code {run.ExitCode})." + Environment.NewLine + run.Transcript);

        var line = Regex.Match(run.StandardOutput, @"^sum=(?<sum>-?\d+) workers=(?<workers>[-\d,]*) parent=(?<parent>\d+)\r?$", RegexOptions.Multiline);
        Assert.True(line.Success, "The demo printed no result line." + Environment.NewLine + run.Transcript);
        int sum = int.Parse(line.Groups["sum"].Value, CultureInfo.InvariantCulture);
        int parent = int.Parse(line.Groups["parent"].Value, CultureInfo.InvariantCulture);
        int[] workers = [.. line.Groups["workers"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(w => int.Parse(w, CultureInfo.InvariantCulture))];

        Assert.True(sum == ExpectedSum, $"Expected sum={ExpectedSum}, got {sum}." + Environment.NewLine + run.Transcript);
        Assert.True(workers.Length is 1 or 2, $"Expected the tasks to see 1 or 2 worker processes, saw {workers.Length}." + Environment.NewLine + run.Transcript);
        Assert.True(workers.All(w => w > 0 && w != parent), $"Every task must run in a worker process other than the parent {parent} (-1: no WorkerInfo.Current)." + Environment.NewLine + run.Transcript);
        Assert.True(parent == run.ProcessId, $"The demo's parent pid {parent} is not the process started ({run.ProcessId})." + Environment.NewLine + run.Transcript);

        var managed = Regex.Match(run.StandardOutput, @"^managed=(?<count>-?\d+) in=(?<pids>[-\d,]*)\r?$", RegexOptions.Multiline);
        Assert.True(managed.Success, "The demo printed no manager line." + Environment.NewLine + run.Transcript);
        Assert.True(managed.Groups["count"].Value == "8", $"Tasks counting through Manager proxies reached {managed.Groups["count"].Value}, not 8." + Environment.NewLine + run.Transcript);
        int[] counters = [.. managed.Groups["pids"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(w => int.Parse(w, CultureInfo.InvariantCulture))];
        Assert.True(counters.Length > 0 && counters.All(w => w > 0 && w != parent), $"The Manager tasks must run in worker processes other than the parent {parent} (-1: no WorkerInfo.Current)." + Environment.NewLine + run.Transcript);
        workers = [.. workers.Union(counters)];

        if (workers.Length < 2)
        {
            _log.WriteLine("Note: only one of the two workers ran tasks (the other was slow to start).");
        }

        // The pool was disposed when the demo returned: no worker may outlive it.
        var deadline = Stopwatch.StartNew();
        while (workers.Any(IsRunning) && deadline.Elapsed < s_workerExitTimeout)
        {
            await Task.Delay(50); // sleep-ok: polling /proc for other processes' exit, bounded by s_workerExitTimeout
        }

        int[] alive = [.. workers.Where(IsRunning)];
        Assert.True(alive.Length == 0, $"Worker process(es) {string.Join(", ", alive)} still run {s_workerExitTimeout.TotalSeconds} s after the demo exited." + Environment.NewLine + run.Transcript);
    }

    private async Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var result = await DotnetCommand.RunAsync(fileName, arguments, Repository.Root, timeout);
        _log.WriteLine($"{result.Elapsed.TotalSeconds:F1} s  exit {result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"}  {result.Command}");
        Assert.False(result.TimedOut, $"Did not finish within {timeout.TotalSeconds} s; killed." + Environment.NewLine + result.Transcript);
        return result;
    }

    private static bool IsRunning(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            // A zombie (exited, not yet reaped by whoever inherited it) has ended for our purposes.
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }

            int close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length || stat[close + 2] is not ('Z' or 'X');
        }

        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>The publishing tests: run alone, after the tests that may run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PublishCollection
{
    public const string Name = "Publishing";
}
