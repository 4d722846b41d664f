using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HashWords;

namespace Multiprocessing.Bench;

/// <summary>The main job as a user runs it: <c>dotnet run -c Release --project samples/HashWords</c>, its own <c>Speed-up:</c> line.</summary>
internal sealed partial class MainJobWorkload : Workload
{
    private string? _words;

    public override string Id => "J1";

    public override string Title => "The main job: samples/HashWords, its own speed-up over serial";

    public override bool InChild => false;

    public override void Prepare(Settings s)
    {
        // Built once before the rounds, so that a slow build on a shared machine cannot eat a round's time limit.
        // No build servers: a server left running holds the redirected output open, and reading it to the end waited for the server's idle timeout.
        Dotnet(s, TimeSpan.FromMinutes(5), "build", "-c", "Release", "--disable-build-servers", "samples/HashWords");

        // --quick hashes 200,000 of the generated words from a file; the full run the sample's default million.
        if (s.Quick)
        {
            _words = Path.Combine(s.WorkDirectory, "job-words.txt");
            File.WriteAllLines(_words, WordList.Generate(200_000));
        }
    }

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, _ => Run(s)),
    ];

    public override Figures FromPython(JsonElement json) => [];

    public override void Report(WorkloadResult r, Settings s)
    {
        r.Line(WorkloadResult.Pool, c => $"{Stats.Ratio(c.Median("speedup"))} over serial ({Stats.Ratio(c.Median("speedup_with_startup"))} counting the pool's start-up); serial {Stats.Seconds(c.Median("serial_s"))}, pool {Stats.Seconds(c.Median("pool_s"))}, workers started in {Stats.Seconds(c.Median("startup_s"))}", "Speed-up");
        double speedup = r.Median(WorkloadResult.Pool, "speedup");
        r.Target("the main job prints Speed-up ≥ 1.6x", speedup / 1.6, 1, $"{Stats.Ratio(speedup)} (median of the printed figures: {string.Join(", ", r[WorkloadResult.Pool].Samples.Select(f => Stats.Ratio(f["speedup"])))})");
        r.Notes.Add($"`dotnet run -c Release --project samples/HashWords{(_words is null ? string.Empty : " -- <200,000 words>")}` started from the repository root as a user would (built once before the rounds, then `--no-build`; each run a fresh process that " +
            "hashes serially, starts `new Pool()` — one worker per core — and maps); the figures are parsed from its own `Serial:`, `Pool:` and `Speed-up:` lines.");
    }

    /// <summary>Runs <c>dotnet ARGS</c> in the repository root; its standard output, or an exception saying why not.</summary>
    private static string Dotnet(Settings s, TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = s.RepoRoot };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        var (exitCode, stdout, stderr) = BoundedRun.Run(info, timeout, "dotnet");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"FAILED: dotnet {string.Join(' ', args)} (exit {exitCode}): {(stdout + stderr).Trim().Split('\n').LastOrDefault()}");
        }

        return stdout;
    }

    private Figures Run(Settings s)
    {
        string output = Dotnet(s, s.CallTimeout, [.. new[] { "run", "-c", "Release", "--no-build", "--project", "samples/HashWords" }, .. _words is null ? Array.Empty<string>() : ["--", _words]]);
        var speed = SpeedupLine().Match(output);
        if (!speed.Success)
        {
            throw new InvalidOperationException($"FAILED: samples/HashWords printed no Speed-up line: {output.Trim().Split('\n').LastOrDefault()}");
        }

        static double Num(Match m, string g) => double.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        var serial = SerialLine().Match(output);
        var pool = PoolLine().Match(output);
        return new Figures
        {
            ["speedup"] = Num(speed, "x"),
            ["speedup_with_startup"] = Num(speed, "y"),
            ["serial_s"] = serial.Success ? Num(serial, "s") : double.NaN,
            ["pool_s"] = pool.Success ? Num(pool, "s") : double.NaN,
            ["startup_s"] = pool.Success ? Num(pool, "u") : double.NaN,
        };
    }

    [GeneratedRegex(@"Speed-up: (?<x>[0-9.]+)x over serial \((?<y>[0-9.]+)x")]
    private static partial Regex SpeedupLine();

    [GeneratedRegex(@"Serial:.* in (?<s>[0-9.]+) s")]
    private static partial Regex SerialLine();

    [GeneratedRegex(@"Pool:.* in (?<s>[0-9.]+) s .*started in (?<u>[0-9.]+) s")]
    private static partial Regex PoolLine();
}
