using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Multiprocessing.Tests.Integration;

/// <summary>
/// Runs <c>dotnet</c> (or another program) from a test the way a user's shell would: its own MSBuild, no nodes or
/// compiler server left behind, output captured, and a bounded wait that kills the whole tree when it runs out.
/// </summary>
public static class DotnetCommand
{
    public static string Host
        => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } fromSdk && File.Exists(fromSdk) ? fromSdk
           : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? self
           : "dotnet";

    /// <summary>The arguments every nested build gets: no MSBuild nodes or compiler server outlive it and hold its pipes.</summary>
    public static string[] NoLeftovers { get; } = ["-nodeReuse:false", "-p:UseSharedCompilation=false"];

    public static async Task<CommandResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        // `dotnet test` leaves MSBuild's own variables in the test's environment; a nested build must find its own.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        string command = fileName + " " + string.Join(' ', arguments);
        var output = new StringBuilder();
        var stdoutClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderrClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdout = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(stdout, output, stdoutClosed, e.Data);
        process.ErrorDataReceived += (_, e) => Append(null, output, stderrClosed, e.Data);

        var clock = Stopwatch.StartNew();
        process.Start();
        int pid = process.Id;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // The timed wait does not wait for the pipes to close, so a leftover grandchild cannot stall it.
        bool exited = await WaitForExitAsync(process, timeout).ConfigureAwait(false);
        if (!exited)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended after all.
            }

            process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        try
        {
            await Task.WhenAll(stdoutClosed.Task, stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Something the process started still holds its output; what arrived is enough.
        }

        clock.Stop();
        return new CommandResult(command, pid, exited ? process.ExitCode : null, Snapshot(stdout), Snapshot(output), clock.Elapsed, timeout);

        static void Append(StringBuilder? stream, StringBuilder all, TaskCompletionSource closed, string? line)
        {
            if (line is null)
            {
                closed.TrySetResult();
                return;
            }

            lock (all)
            {
                stream?.AppendLine(line);
                all.AppendLine(line);
            }
        }

        string Snapshot(StringBuilder from)
        {
            lock (output)
            {
                return from.ToString();
            }
        }
    }

    private static async Task<bool> WaitForExitAsync(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>What a command did: the process started, its exit code (null when it was killed), its standard output, and both streams interleaved.</summary>
public sealed record CommandResult(string Command, int ProcessId, int? ExitCode, string StandardOutput, string Output, TimeSpan Elapsed, TimeSpan Timeout)
{
    private const int MaxShown = 12_000;

    public bool TimedOut => ExitCode is null;

    public string Transcript
        => $"$ {Command}{Environment.NewLine}(exit code {ExitCode?.ToString(CultureInfo.InvariantCulture) ?? $"none: killed after {Timeout.TotalSeconds} s"}, {Elapsed.TotalSeconds:F1} s){Environment.NewLine}" +
           (Output.Length <= MaxShown ? Output : "…" + Output[^MaxShown..]);

    /// <summary>Fails the test unless the command exited 0, with its transcript.</summary>
    public CommandResult AssertSucceeded(string what)
    {
        Assert.True(ExitCode == 0, $"{what} failed." + Environment.NewLine + Transcript);
        return this;
    }
}
