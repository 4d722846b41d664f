using System.Diagnostics;

namespace Multiprocessing.Bench;

/// <summary>Runs a child process to its end with both streams read, killing its whole tree when the bound runs out.</summary>
internal static class BoundedRun
{
    public static (int ExitCode, string StandardOutput, string StandardError) Run(ProcessStartInfo info, TimeSpan timeout, string what)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"{what} did not start.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"TIMEOUT after {timeout.TotalSeconds:F0} s");
        }

        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
