using System.Diagnostics;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests.Samples;

/// <summary>samples/HashWords refuses bad command lines with a parse error and the help (exit 1), never a stack trace.</summary>
public sealed class HashWordsCommandLineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static TheoryData<string[], string> BadCommandLines => new()
    {
        { ["--processes", "abc"], "--processes needs a whole number (was 'abc')" },
        { ["--processes", "100000"], $"--processes must be between 1 and {PoolDefaults.MaxProcesses} (was 100000)" },
        { ["--chunksize", "0"], "--chunksize must be at least 1" },
        { ["--bogus"], "Unknown option '--bogus'" },
        { [Path.GetTempPath()], "is a directory" },
        { ["/no/such/words.txt"], "No such file: '/no/such/words.txt'" },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void Main_BadCommandLine_ParseErrorWithHelpAndExitCode1(string[] arguments, string expected)
    {
        var (exitCode, output) = Run(arguments);
        Assert.True(exitCode == 1, $"exit code {exitCode}:{Environment.NewLine}{output}");
        Assert.Contains(expected, output);
        Assert.Contains("Usage:", output);
        Assert.DoesNotContain("   at ", output);
    }

    private static (int ExitCode, string Output) Run(string[] arguments)
    {
        // The sample's own build, beside this assembly's configuration (bin/<configuration>/<framework>).
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = testBin.Name;
        string configuration = testBin.Parent!.Name;
        string dll = Path.Combine(Repository.Root, "samples", "HashWords", "bin", configuration, framework, "HashWords.dll");
        string host = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"HashWords {string.Join(' ', arguments)} did not exit within {Timeout}.");
        }

        Assert.True(Task.WaitAll([stdout, stderr], Timeout));
        return (process.ExitCode, stderr.Result + stdout.Result);
    }
}
