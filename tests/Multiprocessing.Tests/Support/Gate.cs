namespace Multiprocessing.Tests.Support;

/// <summary>
/// A gate between processes: a file that appears when the test opens the gate. Tasks in workers wait
/// for it (bounded); the test opens it. Works the same for threads, so one test serves both pools.
/// </summary>
public sealed class Gate : IDisposable
{
    public Gate()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mp-gate-" + Guid.NewGuid().ToString("N"));
    }

    public string Path { get; }

    public void Open() => File.WriteAllText(Path, "open");

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Waits (in a task) until the gate file exists; false after <paramref name="timeout"/>.</summary>
    public static bool WaitOpen(string path, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            Thread.Sleep(2); // sleep-ok: polling a file written by another process; bounded by timeout
        }

        return true;
    }
}
