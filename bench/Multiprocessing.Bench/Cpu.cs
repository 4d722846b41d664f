using System.Runtime.InteropServices;

namespace Multiprocessing.Bench;

/// <summary>CPU time of this process, this thread and other processes (Linux), for the parent's budget.</summary>
internal static partial class Cpu
{
    private const int RusageSelf = 0;
    private const int ClockThreadCpuTime = 3;

    /// <summary>User + system CPU seconds of this whole process (all threads, GC included), microsecond resolution.</summary>
    public static double ProcessSeconds()
    {
        if (!OperatingSystem.IsLinux() || GetRusage(RusageSelf, out var u) != 0)
        {
            return System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        }

        return u.UserSeconds + (u.UserMicroseconds / 1e6) + u.SystemSeconds + (u.SystemMicroseconds / 1e6);
    }

    /// <summary>CPU seconds of the calling thread (CLOCK_THREAD_CPUTIME_ID, as Python's <c>time.thread_time()</c>).</summary>
    public static double ThreadSeconds()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ClockThreadCpuTime, out var ts) != 0)
        {
            return double.NaN;
        }

        return ts.Seconds + (ts.Nanoseconds / 1e9);
    }

    /// <summary>
    /// CPU seconds of other processes (the workers): the sum over their threads of /proc/PID/task/TID/schedstat's
    /// nanoseconds on CPU (/proc/PID/stat counts 10 ms ticks, too coarse for a 50 ms call); NaN if one is gone.
    /// </summary>
    public static double OfProcesses(IEnumerable<int> pids)
    {
        long ns = 0;
        try
        {
            foreach (int pid in pids)
            {
                foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                {
                    string? stat = ProcInfo.TryRead(Path.Combine(task, "schedstat"));
                    if (stat is not null && long.TryParse(stat.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out long run))
                    {
                        ns += run;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return double.NaN;
        }

        return ns / 1e9;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, out Rusage usage);

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    /// <summary>The head of Linux x86-64/arm64 <c>struct rusage</c>; Size covers the fields not read.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
