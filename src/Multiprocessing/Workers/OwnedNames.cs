using System.Globalization;
using System.Runtime.InteropServices;

namespace Multiprocessing.Workers;

/// <summary>
/// Names of the files and directories a process leaves in the temp directory and in <c>/dev/shm</c> carry
/// their owner: <c>{prefix}-{pid}-{start}-{random}</c>, where start is the owner's start time. A process
/// killed by SIGKILL cannot clean up, so every new pool and manager sweeps the entries whose owner is dead;
/// the start time tells a reused pid from the owner.
/// </summary>
internal static partial class OwnedNames
{
    /// <summary>The shared-memory directory on Linux.</summary>
    public const string SharedMemory = "/dev/shm";

    /// <summary>The pool's socket and status directory in the temp directory.</summary>
    public const string PoolPrefix = "mp";

    /// <summary>The manager's socket directory (temp directory) and segment directory (<c>/dev/shm</c>).</summary>
    public const string ManagerPrefix = "mpm";

    /// <summary>A worker connection's shared rings (<c>/dev/shm</c>).</summary>
    public const string RingPrefix = "mpnet";

    private static readonly Lazy<long> s_ownStart = new(() => StartTime(Environment.ProcessId) ?? 0);

    /// <summary>A fresh name owned by this process, with <paramref name="randomBytes"/> random bytes in hex.</summary>
    public static string New(string prefix, int randomBytes)
        => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{Environment.ProcessId}-{s_ownStart.Value}-{SecureRandom.Hex(randomBytes)}");

    /// <summary>The owner's pid and start time in a name made by <see cref="New"/>, or false for any other name.</summary>
    public static bool TryParse(string name, string prefix, out int pid, out long start)
    {
        pid = 0;
        start = 0;
        string[] parts = name.Split('-');
        return parts.Length >= 4 && parts[0] == prefix
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out pid)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out start)
            && parts[3].Length > 0 && !parts[3].AsSpan().ContainsAnyExcept("0123456789abcdef");
    }

    /// <summary>Whether the process that made a name is still running (false for a reused pid).</summary>
    public static bool IsAlive(int pid, long start)
    {
        if (pid == Environment.ProcessId)
        {
            return start == s_ownStart.Value;
        }

        return StartTime(pid) is { } actual && actual == start;
    }

    /// <summary>
    /// Deletes what dead owners left: pool and manager directories in the temp directory, manager segment
    /// directories and ring files in <c>/dev/shm</c>. Best effort: an entry another user owns, or one that
    /// goes away meanwhile, is skipped.
    /// </summary>
    public static void SweepDeadOwners()
    {
        Sweep(Path.GetTempPath(), PoolPrefix, ManagerPrefix);
        if (OperatingSystem.IsLinux())
        {
            Sweep(SharedMemory, ManagerPrefix, RingPrefix);
        }
    }

    /// <summary>How long after a pool starts its sweep runs.</summary>
    public static readonly TimeSpan SweepDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <see cref="SweepDeadOwners"/> on a thread of its own, <see cref="SweepDelay"/> from now and, on Linux, at the
    /// lowest priority (nice 19, that thread only): it reads the whole temp directory (about 30 ms of CPU on a
    /// machine whose temp directory holds twelve thousand entries, measured), which must not compete with a fresh
    /// pool's workers while they start or with the first tasks, whose CPU-bound workers fill the cores for seconds.
    /// A program that ends sooner leaves the sweep to the next pool. <paramref name="first"/> runs on that thread
    /// before, at normal priority: start-up work that need not wait for the caller's thread.
    /// </summary>
    /// <returns>The sweep, for tests.</returns>
    public static Task SweepDeadOwnersInBackground(Action? first = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                first?.Invoke();
                LowerThisThreadsPriority();
                Thread.Sleep(SweepDelay);
                SweepDeadOwners();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true, Name = "Multiprocessing sweep" }.Start();
        return done.Task;
    }

    /// <summary>
    /// Linux: nice 19 for the calling thread alone (a thread id is a process id to setpriority). .NET's
    /// <see cref="Thread.Priority"/> does nothing there. Best effort: a refusal leaves the priority as it was.
    /// </summary>
    private static void LowerThisThreadsPriority()
    {
        if (OperatingSystem.IsLinux())
        {
            const int prioProcess = 0, nicest = 19;
            _ = SetPriority(prioProcess, GetThreadId(), nicest);
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    private static void Sweep(string directory, params string[] prefixes)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(directory, "mp*");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return;
        }

        try
        {
            foreach (string path in entries)
            {
                string name = Path.GetFileName(path);
                foreach (string prefix in prefixes)
                {
                    if (TryParse(name, prefix, out int pid, out long start) && !IsAlive(pid, start))
                    {
                        Delete(path);
                        break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The directory changed under the enumeration: the next pool sweeps the rest.
        }
    }

    private static void Delete(string path)
    {
        try
        {
            var info = new FileInfo(path);

            // A link is never followed: someone else may have planted it to point at our files.
            if (info.LinkTarget is not null || !info.Attributes.HasFlag(FileAttributes.Directory))
            {
                File.Delete(path);
            }
            else
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another user's (the sticky bit keeps it), or gone already.
        }
    }

    /// <summary>
    /// A process's start time in clock ticks since boot (Linux: field 22 of <c>/proc/{pid}/stat</c>), or null
    /// when it does not exist. Elsewhere the start time <see cref="System.Diagnostics.Process"/> reports.
    /// </summary>
    internal static long? StartTime(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");

                // The fields after the command name (which may hold spaces and parentheses) start after the last ')'.
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return fields[0] is "Z" or "X" ? null : long.Parse(fields[19], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                return null;
            }
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }
}
