using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>
/// Runs bench/python/pool_bench.py (CPython's multiprocessing.Pool on the same work) and reads the JSON
/// object it prints as its last line. See bench/python/README.md.
/// </summary>
internal sealed class PythonRunner
{
    private const string Shell = "/bin/sh";

    private readonly string _script;
    private readonly string _workingDirectory;

    private PythonRunner(string executable, string version, string script, string workingDirectory)
    {
        Executable = executable;
        Version = version;
        _script = script;
        _workingDirectory = workingDirectory;
    }

    public string Executable { get; }

    public string Version { get; }

    /// <summary>Finds python3 and the script; null (with the reason) when either is missing.</summary>
    public static PythonRunner? TryCreate(string repoRoot, out string? reason)
    {
        string script = Path.Combine(repoRoot, "bench", "python", "pool_bench.py");
        if (!File.Exists(script))
        {
            reason = $"{script} is missing";
            return null;
        }

        foreach (string exe in new[] { "python3", "python" })
        {
            try
            {
                var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                info.ArgumentList.Add("--version");
                using var p = Process.Start(info);
                if (p is null || !p.WaitForExit(10_000) || p.ExitCode != 0)
                {
                    continue;
                }

                string version = (p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd()).Trim();
                if (version.StartsWith("Python 3", StringComparison.Ordinal))
                {
                    reason = null;
                    return new PythonRunner(exe, version["Python ".Length..], script, repoRoot);
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not on PATH; try the next name.
            }
        }

        reason = "python3 was not found on PATH";
        return null;
    }

    /// <summary>Runs one workload; returns the parsed JSON object or throws with the script's error.</summary>
    public JsonElement Run(string workload, string method, int processes, TimeSpan timeout, long? n = null, string? words = null, int? reps = null, int? chunksize = null, IReadOnlyList<string>? extra = null)
    {
        // Linux keeps a process's peak RSS (ru_maxrss) across exec, so a python3 started straight from this
        // (large) process would report our peak as its own in W9. Through sh, which forks python3 rather than
        // exec'ing it, python3 starts from sh's small peak instead.
        bool viaShell = !OperatingSystem.IsWindows() && File.Exists(Shell);
        var info = new ProcessStartInfo(viaShell ? Shell : Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _workingDirectory,
        };
        if (viaShell)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("\"$0\" \"$@\"; exit $?");
            info.ArgumentList.Add(Executable);
        }

        info.ArgumentList.Add(_script);
        foreach (var (flag, value) in new (string, string?)[]
        {
            ("--workload", workload), ("--method", method), ("--processes", processes.ToString(CultureInfo.InvariantCulture)),
            ("--n", n?.ToString(CultureInfo.InvariantCulture)), ("--words", words), ("--reps", reps?.ToString(CultureInfo.InvariantCulture)),
            ("--chunksize", chunksize?.ToString(CultureInfo.InvariantCulture)),
        })
        {
            if (value is not null)
            {
                info.ArgumentList.Add(flag);
                info.ArgumentList.Add(value);
            }
        }

        foreach (string a in extra ?? [])
        {
            info.ArgumentList.Add(a);
        }

        var (exitCode, stdout, stderr) = BoundedRun.Run(info, timeout, "python");
        string? last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (last is null)
        {
            throw new InvalidOperationException($"pool_bench.py printed nothing (exit {exitCode}): {stderr.Trim().Split('\n').LastOrDefault()}");
        }

        JsonElement json = JsonDocument.Parse(last).RootElement.Clone();
        if (json.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException("pool_bench.py: " + error.GetString());
        }

        return json;
    }
}
