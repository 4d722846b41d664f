using System.Diagnostics;
using System.Globalization;
using Multiprocessing.Workers;

namespace Multiprocessing.Tests.Supervision;

/// <summary>Dispose kills a worker's whole tree when it has one, and only then pays for finding it.</summary>
public sealed class ProcessTreeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public void Terminate_KillsTheProcessesATaskStarted()
    {
        Assert.True(OperatingSystem.IsLinux(), "this test reads /proc; the suite runs on Linux");
        var pool = new Pool(1);
        int worker;
        int sleeper;
        try
        {
            worker = pool.Apply(static (int _) => Environment.ProcessId, 0);
            Assert.False(WorkerProcess.MayHaveChildren(worker), "a fresh worker has started nothing");

            sleeper = pool.Apply(StartSleeper, 300);
            Assert.True(WorkerProcess.MayHaveChildren(worker));
        }
        finally
        {
            pool.Terminate();
            pool.Dispose();
        }

        Assert.True(SpinWait.SpinUntil(() => !IsRunning(sleeper), Bound), $"the task's child {sleeper} outlived its terminated worker");
    }

    [Fact]
    public void MayHaveChildren_OfAProcessThatIsGone_IsTrue_SoTheKillStaysThorough()
    {
        Assert.True(OperatingSystem.IsLinux(), "this test reads /proc; the suite runs on Linux");
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        Assert.True(process.WaitForExit(Bound));
        Assert.True(WorkerProcess.MayHaveChildren(process.Id));
    }

    /// <summary>Starts <c>sleep</c> for <paramref name="seconds"/> and returns its pid (it is left running).</summary>
    private static int StartSleeper(int seconds)
    {
        var process = Process.Start(new ProcessStartInfo("sleep", seconds.ToString(CultureInfo.InvariantCulture)) { UseShellExecute = false })!;
        return process.Id;
    }

    /// <summary>Alive and not a zombie (a killed orphan may wait a moment for its new parent to reap it).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
