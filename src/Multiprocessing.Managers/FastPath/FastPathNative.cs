using System.Runtime.InteropServices;

namespace Multiprocessing.Managers.FastPath;

/// <summary>The two libc calls the fast path needs: <c>syscall(SYS_futex, …)</c> and <c>kill(pid, 0)</c>.</summary>
internal static unsafe partial class FastPathNative
{
    public const int EINTR = 4;
    public const int ESRCH = 3;
    public const int EAGAIN = 11;
    public const int ETIMEDOUT = 110;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial nint Syscall(nint number, int* address, int operation, int value, Timespec* timeout, nint address2, int value3);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Kill(int pid, int signal);

    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }
}
