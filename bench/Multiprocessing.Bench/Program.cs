using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Spectre.Console;

namespace Multiprocessing.Bench;

/// <summary>
/// The Multiprocessing.NET benchmark: each workload variant (Pool, ThreadedPool, the plain .NET alternatives)
/// in a fresh child process of this program, and CPython's multiprocessing.Pool (fork and spawn, through
/// bench/python/pool_bench.py, a fresh interpreter each), interleaved round by round. The first call in each
/// process is the primary figure and a warm repeat the second; medians; targets; docs/benchmarks.md and .png.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == Children.PingPongFlag)
        {
            return Children.RunPingPongChild(args);
        }

        if (args.Length > 0 && args[0] == SiloChild.Flag)
        {
            return SiloChild.Run(args);
        }

        if (args.Length > 0 && args[0] == Children.VariantFlag)
        {
            return Children.RunVariantChild(args);
        }

        var quick = new Option<bool>("--quick") { Description = "Smaller sizes and fewer rounds: about a minute." };
        var only = new Option<string?>("--only") { Description = "Run these workloads only, e.g. W1,W6, M1,M2 or J1 (the main job)." };
        var rounds = new Option<int?>("--rounds") { Description = "Interleaved rounds per workload (default 2; 1 with --quick)." };
        var processes = new Option<int>("--processes") { Description = "Workers per pool, for .NET and Python alike.", DefaultValueFactory = _ => 2 };
        var noPython = new Option<bool>("--no-python") { Description = "Skip the CPython columns." };
        var output = new Option<string?>("--output") { Description = "Markdown report path (default: docs/benchmarks.md for a full run; a temporary file for --quick)." };
        var root = new RootCommand("Benchmarks Multiprocessing.NET against the .NET alternatives and CPython's multiprocessing.Pool.")
        {
            quick, only, rounds, processes, noPython, output,
        };
        root.SetAction(p => Run(
            p.GetValue(quick),
            p.GetValue(only),
            p.GetValue(rounds),
            p.GetValue(processes),
            p.GetValue(noPython),
            p.GetValue(output),
            args));
        return root.Parse(args).Invoke();
    }

    private static int Run(bool quick, string? only, int? rounds, int processes, bool noPython, string? output, string[] args)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        string repo = FindRepoRoot() ?? throw new InvalidOperationException("Cannot find the repository root (the folder holding Multiprocessing.slnx) above the current directory or this program.");
        string work = Path.Combine(Path.GetTempPath(), "mpbench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(work);

        PythonRunner? python = null;
        string? pythonReason = "--no-python was given";
        if (!noPython)
        {
            python = PythonRunner.TryCreate(repo, out pythonReason);
            if (python is null)
            {
                Console.WriteLine($"Notice: Python columns are skipped: {pythonReason}.");
            }
        }

        var settings = new Settings(
            quick,
            processes,
            rounds ?? (quick ? 1 : 2),
            TimeSpan.FromSeconds(quick ? 90 : 240),
            TimeSpan.FromSeconds(quick ? 120 : 300),
            python,
            work,
            repo);

        var all = Workloads.All();
        var selected = only is null ? all.Where(w => !quick || w.InQuick).ToArray() : all.Where(w => only.Split(',', StringSplitOptions.TrimEntries).Contains(w.Id, StringComparer.OrdinalIgnoreCase)).ToArray();

        Console.WriteLine($"Multiprocessing.NET benchmark ({(quick ? "quick" : "full")}): {settings.Rounds} rounds, {processes} workers, {Environment.ProcessorCount} cores, load {ProcInfo.LoadAverage()}; Python: {python?.Version ?? "skipped"}");
        string loadAtStart = ProcInfo.LoadAverage();
        var results = new List<WorkloadResult>();
        try
        {
            foreach (var w in selected)
            {
                results.Add(RunWorkload(w, settings));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // Temp clutter only.
            }
        }

        var machine = Machine.Describe(python, pythonReason, started, clock.Elapsed, loadAtStart, ProcInfo.LoadAverage());
        Report.ToConsole(results, machine);
        string path = output ?? (quick ? Path.Combine(Path.GetTempPath(), "benchmarks-quick.md") : Path.Combine(repo, "docs", "benchmarks.md"));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string chart = Path.ChangeExtension(Path.GetFullPath(path), ".png");
        string? chartFailure = Chart.TryWrite(results, chart, settings);
        string kept = Report.KeptSection(path);
        File.WriteAllText(path, Report.ToMarkdown(results, machine, settings, "dotnet run -c Release --project bench/Multiprocessing.Bench" + (args.Length > 0 ? " -- " + string.Join(' ', args) : string.Empty), chartFailure is null ? Path.GetFileName(chart) : null) + kept);
        Console.WriteLine(chartFailure is null ? $"Chart written to {chart}." : $"Notice: no chart: {chartFailure}");
        Console.WriteLine($"Report written to {path} ({clock.Elapsed.TotalSeconds:F0} s in all).");
        return 0;
    }

    private static WorkloadResult RunWorkload(Workload w, Settings s)
    {
        var r = new WorkloadResult(w.Id, w.Title) { LoadBefore = ProcInfo.LoadAverage() };
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"{w.Id}: {w.Title}");
        w.Prepare(s);
        try
        {
            RunRounds(w, s, r);
        }
        finally
        {
            w.Finish();
        }

        w.Report(r, s);
        r.Elapsed = clock.Elapsed;
        r.LoadAfter = ProcInfo.LoadAverage();
        return r;
    }

    private static void RunRounds(Workload w, Settings s, WorkloadResult r)
    {
        var variants = w.Variants(s);
        int rounds = w.Rounds(s);
        int pythonRounds = s.Python is null || w.PythonWorkload is null ? 0 : w.PythonRounds(s);
        for (int round = 0; round < Math.Max(rounds, pythonRounds); round++)
        {
            if (round < rounds)
            {
                foreach (var (column, run) in variants)
                {
                    // --quick keeps to about a minute: ThreadedPool is context, not a target.
                    if (s.Quick && column == WorkloadResult.Threaded)
                    {
                        continue;
                    }

                    var col = r[column];
                    if (col.Failure is not null)
                    {
                        continue;
                    }

                    var (figures, failure) = w.InChild ? InChild(w, column, s) : Guard.Run(s.CallTimeout, run);
                    if (figures is not null)
                    {
                        col.Samples.Add(figures);
                    }

                    col.Failure = failure;
                    Progress(w.Id, round, column, figures, failure);
                }
            }

            if (round < pythonRounds)
            {
                foreach (var (column, method) in new[] { (WorkloadResult.PyFork, "fork"), (WorkloadResult.PySpawn, "spawn") })
                {
                    var col = r[column];
                    if (col.Failure is not null)
                    {
                        continue;
                    }

                    Figures? figures = null;
                    string? failure = null;
                    try
                    {
                        var (n, words, reps, chunksize) = w.PythonArguments(s);
                        figures = w.FromPython(s.Python!.Run(w.PythonWorkload!, method, s.Processes, s.PythonTimeout, n, words, reps, chunksize, w.PythonExtra(s)));
                        col.Samples.Add(figures);
                    }
#pragma warning disable CA1031 // A failed Python run is a cell in the table, not the end of the benchmark.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        failure = ex is TimeoutException ? ex.Message : $"FAILED: {ex.Message.Split('\n')[0]}";
                        col.Failure = failure;
                    }

                    Progress(w.Id, round, column, figures, failure);
                }
            }
        }
    }

    private static (Figures? Figures, string? Failure) InChild(Workload w, string column, Settings s)
    {
        try
        {
            return (Children.Variant(w, column, s), null);
        }
        catch (TimeoutException ex)
        {
            return (null, ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return (null, ex.Message);
        }
    }

    private static void Progress(string id, int round, string column, Figures? figures, string? failure)
    {
        string detail = failure ?? string.Join(", ", figures!.Where(kv => kv.Key.Length < 16).Take(6).Select(kv => $"{kv.Key}={Stats.G(kv.Value)}"));
        Console.WriteLine($"  {id} round {round + 1} {column}: {detail}");
    }

    /// <summary>The folder holding Multiprocessing.slnx, above the current directory or this program.</summary>
    private static string? FindRepoRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Multiprocessing.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}

/// <summary>What the numbers were measured on.</summary>
internal sealed record Machine(IReadOnlyList<(string Key, string Value)> Facts)
{
    public static Machine Describe(PythonRunner? python, string? pythonReason, DateTimeOffset started, TimeSpan elapsed, string loadStart, string loadEnd)
    {
        string cpu = ProcInfo.TryRead("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        string os = ProcInfo.TryRead("/etc/os-release")?.Split('\n').FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription;
        string memory = ProcInfo.TryRead("/proc/meminfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } m
            && double.TryParse(m["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture, out double kb) ? $"{kb / 1024 / 1024:F1} GB" : "n/a";
        return new Machine(
        [
            ("Date (UTC)", started.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
            ("Cores", $"{Environment.ProcessorCount} logical ({cpu})"),
            ("Memory", memory),
            ("OS", $"{os} ({RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.OSArchitecture})"),
            (".NET", $"{RuntimeInformation.FrameworkDescription}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, default tiered compilation (workers: the library's defaults, no dynamic PGO and tier 1 after 1,000 calls; see README)"),
            ("Python", python is null ? $"skipped: {pythonReason}" : $"CPython {python.Version} ({python.Executable})"),
            ("Load average (1/5/15 min)", $"{loadStart} at start, {loadEnd} at the end (the benchmark's own parent and workers count in it)"),
            ("Priority", ProcInfo.Nice() is { } nice ? $"nice {nice} (children inherit it){(nice < 0 ? "; raised because other jobs shared the machine" : string.Empty)}" : "n/a"),
            ("Run time", $"{elapsed.TotalSeconds:F0} s"),
        ]);
    }
}

/// <summary>Every workload, in report order.</summary>
internal static class Workloads
{
    public static Workload[] All() =>
    [
        new HashWorkload(), new CpuWorkload(), new MapWorkload(), new ImapWorkload(), new ApplyAsyncWorkload(),
        new LatencyWorkload(), new BytesWorkload(), new StartupWorkload(), new InfiniteImapWorkload(), new SweepWorkload(),
        new UnevenWorkload(), new ManagerLockWorkload(), new ManagerQueueWorkload(), new MainJobWorkload(), new ClusterWorkload(),
    ];
}
