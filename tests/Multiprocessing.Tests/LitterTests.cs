using System.Diagnostics;
using Multiprocessing.Managers;
using Multiprocessing.Tests.Support;
using Multiprocessing.Workers;

namespace Multiprocessing.Tests;

/// <summary>Nothing is left in the temp directory or /dev/shm: after Dispose, a failed constructor, or a SIGKILL.</summary>
public sealed class LitterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Dispose_WorkersKilled_LeaveNoDiagnosticFiles()
    {
        int[] pids;
        string[] keys;
        using (var pool = new Pool(2))
        {
            pids = [.. pool.Map(Tasks.WorkerPid, Enumerable.Range(0, 8), 1).Distinct()];

            // The runtime names these files by pid and process start time: match both, so that a file left
            // by an earlier process with the same pid (a killed build node, say) is not taken for ours.
            keys = [.. pids.Select(p => $"{p}-{File.ReadAllText($"/proc/{p}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[19]}")];
        }

        Assert.True(SpinWait.SpinUntil(() => pids.All(LeakTests.IsGone), Timeout));
        string[] left = [.. keys.SelectMany(k => Directory.EnumerateFiles(Path.GetTempPath(), $"clr-debug-pipe-{k}-*")
            .Concat(Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{k}-*")))];
        Assert.Empty(left);
    }

    [Fact]
    public void ApplyRuntimeDefaults_NothingChosen_TurnsDiagnosticsOffAndForgetsIt()
    {
        var info = new ProcessStartInfo("x");
        foreach (string key in info.Environment.Keys.Where(k => k.Contains("EnableDiagnostics", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        WorkerEnvironment.ApplyRuntimeDefaults(info);
        Assert.Equal("0", info.Environment["DOTNET_EnableDiagnostics"]);
        Assert.Contains("DOTNET_EnableDiagnostics", info.Environment[WorkerEnvironment.RuntimeDefaults]!.Split(','));
    }

    [Theory]
    [InlineData("DOTNET_EnableDiagnostics")]
    [InlineData("DOTNET_EnableDiagnostics_IPC")]
    public void ApplyRuntimeDefaults_ApplicationChoseDiagnostics_KeepsItsChoice(string variable)
    {
        var info = new ProcessStartInfo("x");
        info.Environment.Remove("DOTNET_EnableDiagnostics");
        info.Environment[variable] = "1";
        WorkerEnvironment.ApplyRuntimeDefaults(info);
        Assert.Equal("1", info.Environment[variable]);
        Assert.DoesNotContain("DOTNET_EnableDiagnostics", (info.Environment.TryGetValue(WorkerEnvironment.RuntimeDefaults, out string? chosen) ? chosen ?? string.Empty : string.Empty).Split(','));
    }

    [Fact]
    public void Dispose_Workers_ReleasesTheirStdinPipes()
    {
        string[] pipes;
        int[] pids;
        using (var pool = new Pool(2))
        {
            pids = [.. pool.Map(Tasks.WorkerPid, Enumerable.Range(0, 8), 1).Distinct()];
            pipes = [.. pids.Select(p => new FileInfo($"/proc/{p}/fd/0").LinkTarget!)];
            Assert.All(pipes, p => Assert.StartsWith("pipe:", p));
            Assert.All(pipes, p => Assert.Contains(p, OwnDescriptors()));
        }

        Assert.True(SpinWait.SpinUntil(() => !OwnDescriptors().Intersect(pipes).Any(), Timeout), "a worker's stdin pipe is still open in the parent");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Constructor_TempDirectoryTooDeep_ThrowsNamingTmpdirAndLeavesNoDirectory(bool manager)
    {
        string deep = Path.Combine(Path.GetTempPath(), "mp-deep-" + Guid.NewGuid().ToString("N"), new string('d', 90));
        Directory.CreateDirectory(deep);
        try
        {
            using var pool = new Pool(1);
            string message = pool.Apply(LitterTasks.ConstructUnderTmpdir, deep, manager);
            Assert.StartsWith("InvalidOperationException", message);
            Assert.Contains("TMPDIR", message);
            Assert.Contains("107-byte limit", message);
            Assert.Empty(Directory.EnumerateFileSystemEntries(deep));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(deep)!, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Constructor_TempDirectoryUnderAFile_ThrowsNamingTmpdir(bool manager)
    {
        string file = Path.Combine(Path.GetTempPath(), "mp-file-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, "not a directory");
        try
        {
            using var pool = new Pool(1);
            string message = pool.Apply(LitterTasks.ConstructUnderTmpdir, Path.Combine(file, "sub"), manager);
            Assert.StartsWith("InvalidOperationException", message);
            Assert.Contains($"TMPDIR={Path.Combine(file, "sub")}", message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void NewPool_SweepsADeadOwnersDirectory_AfterItsWorkersAreLaunching()
    {
        // Our own pid with a start time that is not ours: the owner of this name is dead.
        string litter = Path.Combine(Path.GetTempPath(), $"{OwnedNames.PoolPrefix}-{Environment.ProcessId}-1-0123abcd");
        Directory.CreateDirectory(litter);
        File.WriteAllText(Path.Combine(litter, "s"), string.Empty);
        using var pool = new Pool(1);
        Assert.True(((ProcessExecutor)pool.Executor).LitterSweep.Wait(Timeout), "the sweep did not finish");
        Assert.False(Directory.Exists(litter), "a dead owner's directory survived a new pool");
        Assert.Equal(1, pool.Apply(Tasks.Identity, 1));
    }

    [Fact]
    public void ParentKilled_WorkerRemovesItsRingsAndTheNextPoolSweepsTheRest()
    {
        using var gate = new Gate();
        string pidFile = gate.Path + ".pids";
        using var outer = new Pool(1);
        var held = outer.ApplyAsync(LitterTasks.HoldPoolAndManager, pidFile, gate.Path);
        Assert.True(Gate.WaitOpen(pidFile, Timeout), "the parent to be killed never got ready");
        string[] parts = File.ReadAllText(pidFile).Split(' ');
        int parent = int.Parse(parts[0]);
        int inner = int.Parse(parts[1]);
        string ring = parts[2];
        string tag = $"-{parent}-{OwnedNames.StartTime(parent)}-";
        Assert.True(File.Exists(ring));
        Assert.NotEmpty(Litter(tag));

        using (var victim = Process.GetProcessById(parent))
        {
            victim.Kill();
        }

        Assert.True(SpinWait.SpinUntil(() => LeakTests.IsGone(parent) && LeakTests.IsGone(inner), Timeout), "the parent or its worker did not die");
        Assert.False(File.Exists(ring), "the orphaned worker left its ring file");
        Assert.Throws<WorkerCrashedException>(() => held.Get(Timeout));

        using (new Manager())
        {
            Assert.Empty(Litter(tag));
        }

        File.Delete(pidFile);
    }

    /// <summary>Entries in the temp directory and /dev/shm whose name carries <paramref name="tag"/> (one owner's pid and start).</summary>
    private static string[] Litter(string tag) =>
        [.. new[] { Path.GetTempPath(), "/dev/shm" }.SelectMany(d => Directory.EnumerateFileSystemEntries(d, "mp*" + tag + "*"))];

    private static string[] OwnDescriptors() =>
        [.. Directory.EnumerateFileSystemEntries("/proc/self/fd").Select(f =>
        {
            try
            {
                return new FileInfo(f).LinkTarget ?? string.Empty;
            }
            catch (IOException)
            {
                return string.Empty;
            }
        })];
}
