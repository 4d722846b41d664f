using System.Runtime.InteropServices;

namespace Multiprocessing.Tests.Support;

/// <summary>Tasks that kill or damage their worker process, for containment tests.</summary>
public static partial class CrashTasks
{
    [LibraryImport("libc")]
    private static partial nuint strlen(IntPtr s);

    public static int FailFast(int _)
    {
        Environment.FailFast("deliberate crash from a test task");
        return 0;
    }

    public static int Exit(int code)
    {
        Environment.Exit(code);
        return 0;
    }

    /// <summary>A real native fault: libc's strlen reads address 0 (SIGSEGV), which no managed handler can catch.</summary>
    public static int ReadNull(int _) => (int)strlen(IntPtr.Zero);

    public static int Overflow(int depth) => depth == int.MaxValue ? 0 : Overflow(depth + 1) + 1;

    public static int KillSelf(int _)
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        self.Kill();
        return 0;
    }

    public static int CrashOn(int x) => x == 5 ? FailFast(x) : x;

    public static int WriteToStderrThenExit(int code)
    {
        Console.Error.WriteLine("last words before exit");
        Environment.Exit(code);
        return 0;
    }

    public static object ReturnDelegate(int _) => new Func<int>(() => 1);

    public static void Print(string marker) => Console.WriteLine(marker);
}
