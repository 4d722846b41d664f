using Multiprocessing.Managers;
using Multiprocessing.Worker;

namespace Multiprocessing.Tests.Support;

/// <summary>Tasks for the litter tests: they run in a worker, so they may change its environment.</summary>
public static class LitterTasks
{
    /// <summary>
    /// The parent to be killed: a manager with a shared-memory object, a pool of its own that has sent a large
    /// array, and a file named like one of that pool's worker's rings. Writes "ownPid innerPid ringFile", then waits.
    /// </summary>
    public static int HoldPoolAndManager(string pidFile, string gate)
    {
        var manager = new Manager();
        manager.Lock().Acquire().Dispose();
        var inner = new Pool(1);
        inner.Apply(Tasks.Reverse, new byte[2 << 20]);
        (int innerPid, string ring) = inner.Apply(MakeOwnRingFile, 0);
        File.WriteAllText(pidFile + ".tmp", $"{Environment.ProcessId} {innerPid} {ring}");
        File.Move(pidFile + ".tmp", pidFile);
        Gate.WaitOpen(gate, Tasks.GateTimeout);
        inner.Dispose();
        manager.Dispose();
        return 0;
    }

    /// <summary>In a worker: creates a file where its next ring generation would go, as a large result in flight does.</summary>
    public static (int Pid, string Path) MakeOwnRingFile(int _)
    {
        string path = global::Multiprocessing.Worker.WorkerSession.Current?.OwnRingFilePrefix + "99";
        File.WriteAllBytes(path, new byte[4096]);
        return (Environment.ProcessId, path);
    }

    /// <summary>Creates a pool (or a manager) with TMPDIR set to <paramref name="tmpdir"/>; returns the exception's type and message.</summary>
    public static string ConstructUnderTmpdir(string tmpdir, bool manager)
    {
        Environment.SetEnvironmentVariable("TMPDIR", tmpdir);
        try
        {
            if (manager)
            {
                new Manager().Dispose();
            }
            else
            {
                new Pool(1).Dispose();
            }

            return "no exception";
        }
        catch (Exception ex)
        {
            return ex.GetType().Name + ": " + ex.Message;
        }
    }
}
