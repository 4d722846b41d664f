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

    /// <summary>User + system CPU seconds of other processes (the workers), from /proc through <see cref="System.Diagnostics.Process"/>; NaN if one is gone.</summary>
    public static double OfProcesses(IEnumerable<int> pids)
    {
        double total = 0;
        foreach (int pid in pids)
        {
            try
            {
                using var p = System.Diagnostics.Process.GetProcessById(pid);
                total += p.TotalProcessorTime.TotalSeconds;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                return double.NaN;
            }
        }

        return total;
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
