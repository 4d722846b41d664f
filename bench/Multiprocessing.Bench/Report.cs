using System.Text;
using Spectre.Console;

namespace Multiprocessing.Bench;

/// <summary>The tables, on the console (Spectre.Console) and in Markdown.</summary>
internal static class Report
{
    public static void ToConsole(IReadOnlyList<WorkloadResult> results, Machine machine)
    {
        var console = AnsiConsole.Console;
        if (console.Profile.Width < 140)
        {
            console.Profile.Width = 140;
        }

        var figures = new Table { Title = new TableTitle("First call in a fresh process, and a warm repeat (medians over rounds)") };
        foreach (string c in new[] { "W", "Figure", "Pool first", "Pool warm", "Python first", "Python warm", "Ratio first", "Ratio warm" })
        {
            figures.AddColumn(c);
        }

        foreach (var h in results.SelectMany(r => r.Headlines))
        {
            figures.AddRow([.. HeadlineCells(h).Select(t => new Text(t))]);
        }

        var targets = new Table { Title = new TableTitle("Targets (first calls)") };
        targets.AddColumn("W");
        targets.AddColumn("Target");
        targets.AddColumn("Measured");
        targets.AddColumn("Result");
        foreach (var t in results.SelectMany(r => r.Targets))
        {
            targets.AddRow(new Text(t.Workload), new Text(t.Target), new Text(t.Measured), new Markup(t.Met switch { true => "[green]met[/]", false => "[red]missed[/]", null => "[yellow]not measured[/]" }));
        }

        console.Write(figures);
        console.Write(targets);
        foreach (var (key, value) in machine.Facts)
        {
            console.WriteLine($"{key}: {value}");
        }
    }

    private static string[] HeadlineCells(Headline h) =>
    [
        h.Workload, h.Label, h.Format(h.OursCold), h.Format(h.OursWarm),
        double.IsNaN(h.PythonCold) ? "—" : $"{h.Format(h.PythonCold)} ({h.PythonColdMethod})",
        double.IsNaN(h.PythonWarm) ? "—" : $"{h.Format(h.PythonWarm)} ({h.PythonWarmMethod})",
        Stats.Ratio(h.RatioCold), Stats.Ratio(h.RatioWarm),
    ];

    /// <summary>Each column's figures round by round, so that a disturbed round shows.</summary>
    private static IEnumerable<string> PerRound(WorkloadResult r) => r.Columns
        .Where(c => c.Value.Samples.Count > 0)
        .Select(c => $"{c.Key}: " + string.Join(", ", c.Value.Samples[0].Keys
            .Where(k => !k.Contains("gen", StringComparison.Ordinal) && k != "checksum")
            .Select(k => k + " " + string.Join("/", c.Value.Samples.Select(f => f.TryGetValue(k, out double v) ? Stats.G(v) : "—")))));

    /// <summary>The hand-written section at the end of docs/benchmarks.md, kept when the report is rewritten.</summary>
    public const string KeptHeading = "## Why the code is the way it is: measurements behind the defaults";

    /// <summary>The kept section of the report at <paramref name="path"/> (from its heading to the end), or empty.</summary>
    public static string KeptSection(string path)
    {
        string existing = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        int at = existing.IndexOf("\n" + KeptHeading, StringComparison.Ordinal);
        return at < 0 ? string.Empty : existing[at..];
    }

    public static string ToMarkdown(IReadOnlyList<WorkloadResult> results, Machine machine, Settings s, string command, string? chart)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

        Line("# Benchmarks");
        Line();
        Line("Multiprocessing.NET against the plain .NET alternatives and CPython's `multiprocessing.Pool` and `Manager` (fork and spawn). " +
             "**Every figure is what a user's program meets:** each variant runs in a fresh process (the benchmark starts itself as a child, `--child W3 Pool`; " +
             "pool_bench.py is a fresh interpreter per run), and the **first call** in that process is the primary figure; a warm repeat in the same process is the second. " +
             "Targets and ratios compare first call with first call. " +
             $"Produced by `bench/Multiprocessing.Bench` ({(s.Quick ? "**quick mode: small sizes, not the reference figures**" : "full run")}):");
        Line();
        Line("```");
        Line(command);
        Line("```");
        Line();
        if (chart is not null)
        {
            Line($"![Ours against Python per figure, first call and warm, log scale]({chart})");
            Line();
        }

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
        Line($"{met} of {total} targets met, each on first calls. A ratio is a ratio of medians, above 1 when ours is better; against Python the faster of fork and spawn (spawn alone for W8, as the target says).");
        Line();
        Line("| W | Target | Measured | Result |");
        Line("|---|---|---|---|");
        foreach (var t in results.SelectMany(r => r.Targets))
        {
            Line($"| {t.Workload} | {Cell(t.Target)} | {Cell(t.Measured)} | {(t.Met switch { true => "met", false => "**missed**", null => "not measured" })} |");
        }

        Line();
        Line("## First call and warm repeat");
        Line();
        Line($"Medians over the rounds (.NET: {s.Rounds} as a rule, more for the quick workloads, a fresh process each; Python: as noted per workload). Python's method (fork or spawn) is the faster one for that figure.");
        Line();
        Line("| W | Figure | Pool first | Pool warm | Python first | Python warm | Ratio first | Ratio warm |");
        Line("|---|---|--:|--:|--:|--:|--:|--:|");
        foreach (var h in results.SelectMany(r => r.Headlines))
        {
            Line("| " + string.Join(" | ", HeadlineCells(h).Select(Cell)) + " |");
        }

        Line();
        Line("## Beside the headline");
        Line();
        foreach (var r in results.Where(r => r.Context.Count > 0))
        {
            Line($"- **{r.Id}** {Cell(r.Title)}:");
            foreach (string c in r.Context)
            {
                Line($"  - {c}");
            }
        }

        foreach (var r in results.Where(r => r.Section.Count > 0))
        {
            Line();
            Line($"## {r.Id}: {Cell(r.Title)}");
            Line();
            foreach (string l in r.Section)
            {
                Line(l);
            }
        }

        if (results.Any(r => r.Analysis.Count > 0))
        {
            Line();
            Line("## Where the time goes");
            Line();
            foreach (string a in results.SelectMany(r => r.Analysis))
            {
                Line(a);
                Line();
            }
        }

        Line("## How each workload is measured");
        Line();
        foreach (var r in results)
        {
            int pyRounds = r.Columns.TryGetValue(WorkloadResult.PyFork, out var fork) ? fork.Samples.Count : 0;
            int rounds = r.Columns.Values.Select(c => c.Samples.Count).DefaultIfEmpty(0).Max();
            Line($"- **{r.Id}** {Cell(r.Title)}. " + string.Join(" ", r.Notes) +
                 $" Rounds: {rounds}{(r.Columns.ContainsKey(WorkloadResult.PyFork) ? $"; Python runs: {pyRounds} per start method" : string.Empty)}. Took {r.Elapsed.TotalSeconds:F0} s; load average {r.LoadBefore} before, {r.LoadAfter} after.");
        }

        Line();
        Line("<details><summary>Every figure, round by round</summary>");
        Line();
        foreach (var r in results)
        {
            Line($"- **{r.Id}**");
            foreach (string p in PerRound(r))
            {
                Line($"  - {Cell(p)}");
            }
        }

        Line();
        Line("</details>");
        Line();
        Line("General notes:");
        Line();
        Line("- A .NET child makes its pool, waits until every worker has run one task of a function no timed call uses (`WorkerPid(long)`, through ApplyAsync), and then makes the timed call for the first time: " +
             "the pool's start-up is outside the first-call figure (W8 times it alone, and W2 counts it, as a program that makes a pool for one job). Python's `make_pool` waits for its workers the same way.");
        Line("- A variant that fails or exceeds its time limit " +
             $"({s.CallTimeout.TotalSeconds:F0} s per child; {s.PythonTimeout.TotalSeconds:F0} s per Python run) is marked FAILED or TIMEOUT and not retried.");
        Line($"- On this {s.Cores}-core machine the parent and {s.Processes} workers share the cores, and anything else running shows in the figures: the load averages above say how busy the machine was.");
        return md.ToString();
    }
}
