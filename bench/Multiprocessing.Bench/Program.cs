using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Spectre.Console;

namespace Multiprocessing.Bench;

/// <summary>
/// The Multiprocessing.NET benchmark: each workload with Pool, ThreadedPool, the plain .NET alternatives
/// and CPython's multiprocessing.Pool (fork and spawn, through bench/python/pool_bench.py), interleaved
/// round by round; medians; a table of ratios against the targets; docs/benchmarks.md.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == Children.PingPongFlag)
        {
            return Children.RunPingPongChild(args);
        }

        if (args.Length > 0 && args[0] == Children.ImapFlag)
        {
            return Children.RunImapChild(args);
        }

        var quick = new Option<bool>("--quick") { Description = "Smaller sizes and fewer rounds: about a minute." };
        var only = new Option<string?>("--only") { Description = "Run these workloads only, e.g. W1,W6 or M1,M2." };
        var rounds = new Option<int?>("--rounds") { Description = "Interleaved rounds per workload (default 3; 2 with --quick)." };
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
            rounds ?? (quick ? 2 : 3),
            TimeSpan.FromSeconds(quick ? 90 : 240),
            TimeSpan.FromSeconds(quick ? 120 : 300),
            python,
            work);

        Workload[] all =
        [
            new HashWorkload(), new CpuWorkload(), new MapWorkload(), new ImapWorkload(), new ApplyAsyncWorkload(),
            new LatencyWorkload(), new BytesWorkload(), new StartupWorkload(), new InfiniteImapWorkload(), new SweepWorkload(),
            new ManagerLockWorkload(), new ManagerQueueWorkload(),
        ];
        var selected = only is null ? all : all.Where(w => only.Split(',', StringSplitOptions.TrimEntries).Contains(w.Id, StringComparer.OrdinalIgnoreCase)).ToArray();

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
        File.WriteAllText(path, Report.ToMarkdown(results, machine, settings, "dotnet run -c Release --project bench/Multiprocessing.Bench" + (args.Length > 0 ? " -- " + string.Join(' ', args) : string.Empty)));
        Console.WriteLine($"Report written to {path} ({clock.Elapsed.TotalSeconds:F0} s in all).");
        return 0;
    }

    private static WorkloadResult RunWorkload(Workload w, Settings s)
    {
        var r = new WorkloadResult(w.Id, w.Title) { LoadBefore = ProcInfo.LoadAverage() };
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"{w.Id}: {w.Title}");
        w.Prepare(s);
        var variants = w.Variants(s);
        int pythonRounds = s.Python is null || w.PythonWorkload is null ? 0 : w.PythonRounds(s);
        for (int round = 0; round < Math.Max(s.Rounds, pythonRounds); round++)
        {
            if (round < s.Rounds)
            {
                foreach (var (column, run) in variants)
                {
                    var col = r[column];
                    if (col.Failure is not null)
                    {
                        continue;
                    }

                    var (figures, failure) = Guard.Run(s.CallTimeout, run);
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
                        figures = w.FromPython(s.Python!.Run(w.PythonWorkload!, method, s.Processes, s.PythonTimeout, n, words, reps, chunksize));
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

        w.Report(r, s);
        w.Release();

        // The next workload starts on a clean heap: a million words kept from W1 made every later gen2
        // collection of this parent (W7 allocates a 64 MB result per call) far dearer than in Python, whose
        // script is a fresh process per workload.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        r.Elapsed = clock.Elapsed;
        r.LoadAfter = ProcInfo.LoadAverage();
        return r;
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

/// <summary>The tables, on the console (Spectre.Console) and in Markdown.</summary>
internal static class Report
{
    public static void ToConsole(IReadOnlyList<WorkloadResult> results, Machine machine)
    {
        var console = AnsiConsole.Console;
        if (console.Profile.Width < 160)
        {
            console.Profile.Width = 160;
        }

        var targets = new Table { Title = new TableTitle("Targets (ratios of medians)") };
        targets.AddColumn("W");
        targets.AddColumn("Target");
        targets.AddColumn("Measured");
        targets.AddColumn("Result");
        foreach (var t in results.SelectMany(r => r.Targets))
        {
            targets.AddRow(new Text(t.Workload), new Text(t.Target), new Text(t.Measured), new Markup(t.Met switch { true => "[green]met[/]", false => "[red]missed[/]", null => "[yellow]not measured[/]" }));
        }

        var figures = new Table { Title = new TableTitle("Figures (medians over rounds)") };
        figures.AddColumn("W");
        foreach (string c in WorkloadResult.CellColumns)
        {
            figures.AddColumn(c);
        }

        foreach (var r in results)
        {
            figures.AddRow([new Text(r.Id + " " + r.Title), .. WorkloadResult.CellColumns.Select(c => new Text(r.Cells.GetValueOrDefault(c, "—")))]);
        }

        console.Write(figures);
        console.Write(targets);
        foreach (var (key, value) in machine.Facts)
        {
            console.WriteLine($"{key}: {value}");
        }
    }

    /// <summary>Each column's main figures round by round, so that a disturbed round shows.</summary>
    private static string PerRound(WorkloadResult r) => string.Join("; ", r.Columns
        .Where(c => c.Value.Samples.Count > 0)
        .Select(c => c.Key + " " + string.Join(", ", MainKeys(c.Value.Samples[0])
            .Select(k => k + " " + string.Join("/", c.Value.Samples.Select(f => f.TryGetValue(k, out double v) ? Stats.G(v) : "—"))))));

    /// <summary>The first two plain figures, or for a sweep its automatic-chunksize entries.</summary>
    private static IEnumerable<string> MainKeys(Figures f)
    {
        string[] plain = [.. f.Keys.Where(k => !k.Contains(':', StringComparison.Ordinal)).Take(2)];
        return plain.Length > 0 ? plain : f.Keys.Where(k => k.EndsWith(":auto", StringComparison.Ordinal));
    }

    public static string ToMarkdown(IReadOnlyList<WorkloadResult> results, Machine machine, Settings s, string command)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

        Line("# Benchmarks");
        Line();
        Line($"Multiprocessing.NET against the plain .NET alternatives and CPython's `multiprocessing.Pool` and `Manager` (fork and spawn), on the workloads of the benchmark issue (W1–W10) and the Manager rows (M1–M2). " +
             $"Produced by `bench/Multiprocessing.Bench` ({(s.Quick ? "**quick mode: small sizes, not the reference figures**" : "full run")}):");
        Line();
        Line("```");
        Line(command);
        Line("```");
        Line();
        Line("## Machine");
        Line();
        Line("| | |");
        Line("|---|---|");
        foreach (var (key, value) in machine.Facts)
        {
            Line($"| {Cell(key)} | {Cell(value)} |");
        }

        Line();
        Line("## Targets");
        Line();
        int met = results.SelectMany(r => r.Targets).Count(t => t.Met == true);
        int total = results.SelectMany(r => r.Targets).Count();
        Line($"{met} of {total} targets met. Each ratio is a ratio of medians; against Python the faster of fork and spawn is used (spawn alone for W8, as the target says).");
        Line();
        Line("| W | Target | Measured | Result |");
        Line("|---|---|---|---|");
        foreach (var t in results.SelectMany(r => r.Targets))
        {
            Line($"| {t.Workload} | {Cell(t.Target)} | {Cell(t.Measured)} | {(t.Met switch { true => "**met**", false => "**missed**", null => "not measured" })} |");
        }

        Line();
        Line("## Figures");
        Line();
        Line($"Medians over {s.Rounds} interleaved rounds for .NET (each round runs every variant of a workload in turn, each on a fresh pool whose workers are up before the timing starts) " +
             "and over the Python rounds noted below. Python's own figures are medians of its `--reps` inside each run, as pool_bench.py reports them.");
        Line();
        Line("| W | " + string.Join(" | ", WorkloadResult.CellColumns) + " |");
        Line("|---|" + string.Concat(Enumerable.Repeat("---|", WorkloadResult.CellColumns.Length)));
        foreach (var r in results)
        {
            Line($"| **{r.Id}** {Cell(r.Title)} | " + string.Join(" | ", WorkloadResult.CellColumns.Select(c => Cell(r.Cells.GetValueOrDefault(c, "—")))) + " |");
        }

        Line();
        Line("## How each workload is measured");
        Line();
        foreach (var r in results)
        {
            int pyRounds = r.Columns.TryGetValue(WorkloadResult.PyFork, out var fork) ? fork.Samples.Count : 0;
            Line($"- **{r.Id}** {Cell(r.Title)}. " + string.Join(" ", r.Notes) +
                 $" Python runs: {pyRounds} per start method. Took {r.Elapsed.TotalSeconds:F0} s; load average {r.LoadBefore} before, {r.LoadAfter} after. " +
                 "Per round: " + Cell(PerRound(r)) + ".");
        }

        Line();
        Line("General notes:");
        Line();
        Line("- .NET pools are warmed before timing: every worker has run a task, and the timed call has been made once (on a smaller input, or in W1 the same call) " +
             "(the worker processes JIT-compile the task on first use; CPython has no JIT to warm). W1 also shows the cold first call.");
        Line("- A variant that fails or exceeds its per-call time limit " +
             $"({s.CallTimeout.TotalSeconds:F0} s; {s.PythonTimeout.TotalSeconds:F0} s for a Python run) is marked FAILED or TIMEOUT in its cell and not retried.");
        Line("- On a 2-core machine three processes (the parent and two workers) share two cores, and anything else running shows up in the figures: " +
             "the load averages above say how busy the machine was.");
        return md.ToString();
    }
}
