using System.Runtime.InteropServices;

namespace Multiprocessing.Managers.FastPath;

/// <summary>
/// Linux futexes on words in shared memory. The operations are the shared (not <c>FUTEX_PRIVATE</c>) ones, so
/// a wait in one process is woken by a wake in another: the kernel keys them by the mapped file page.
/// </summary>
internal static unsafe class Futex
{
    private const int FutexWait = 0;
    private const int FutexWake = 1;

    private static readonly nint s_syscallNumber = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 98,
        Architecture.X86 => 240,
        Architecture.Arm => 240,
        _ => -1,
    };

    private static readonly Lazy<bool> s_supported = new(Probe);

    /// <summary>True on Linux where the futex call answers (probed once with a wake on a private word).</summary>
    public static bool IsSupported => s_supported.Value;

    /// <summary>Sleeps while <c>*word == expected</c>, at most <paramref name="timeoutMs"/> (≥ 1). Spurious returns are allowed: callers re-check.</summary>
    public static void Wait(int* word, int expected, int timeoutMs)
    {
        var timeout = new FastPathNative.Timespec
        {
            Seconds = timeoutMs / 1000,
            Nanoseconds = (timeoutMs % 1000) * 1_000_000,
        };
        FastPathNative.Syscall(s_syscallNumber, word, FutexWait, expected, &timeout, 0, 0);
    }

    /// <summary>Wakes up to <paramref name="count"/> waiters on <paramref name="word"/> in any process.</summary>
    public static void Wake(int* word, int count) =>
        FastPathNative.Syscall(s_syscallNumber, word, FutexWake, count, null, 0, 0);

    /// <summary>False only when the process is known to be gone (a pid reused by another process counts as alive).</summary>
    public static bool IsAlive(int pid) =>
        pid <= 0 || FastPathNative.Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() != FastPathNative.ESRCH;

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || s_syscallNumber < 0)
        {
            return false;
        }

        try
        {
            int word = 0;
            return FastPathNative.Syscall(s_syscallNumber, &word, FutexWake, 1, null, 0, 0) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
