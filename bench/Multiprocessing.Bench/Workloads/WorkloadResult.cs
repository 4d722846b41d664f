namespace Multiprocessing.Bench;

/// <summary>One variant's samples over the rounds, or why it has none.</summary>
internal sealed class Column
{
    public List<Figures> Samples { get; } = [];

    public string? Failure { get; set; }

    public double Median(string key) => Stats.Median(Samples.Where(f => f.ContainsKey(key)).Select(f => f[key]).Where(v => !double.IsNaN(v)));

    public double Max(string key) => Samples.Where(f => f.ContainsKey(key)).Select(f => f[key]).DefaultIfEmpty(double.NaN).Max();
}

/// <summary>A target from the issue, evaluated.</summary>
internal sealed record TargetResult(string Workload, string Target, string Measured, bool? Met);

/// <summary>
/// A figure of ours against Python's: first call in a fresh process and warm repeat, each against the same
/// kind of Python figure. A ratio above 1 means ours is better, whichever way the figure runs.
/// </summary>
internal sealed record Headline(
    string Workload,
    string Label,
    Func<double, string> Format,
    bool HigherIsBetter,
    double OursCold,
    double OursWarm,
    double PythonCold,
    string PythonColdMethod,
    double PythonWarm,
    string PythonWarmMethod)
{
    /// <summary>The target ratio for the first call against Python, or NaN where the target is not a ratio to Python.</summary>
    public double TargetRatio { get; init; } = double.NaN;

    public double RatioCold => Ratio(OursCold, PythonCold);

    public double RatioWarm => Ratio(OursWarm, PythonWarm);

    private double Ratio(double ours, double python) => HigherIsBetter ? ours / python : python / ours;
}

/// <summary>Everything measured for one workload, and how it reads.</summary>
internal sealed class WorkloadResult(string id, string title)
{
    public const string Pool = "Pool";
    public const string Threaded = "ThreadedPool";
    public const string DotNet = ".NET alternatives";
    public const string PyFork = "Python fork";
    public const string PySpawn = "Python spawn";

    public string Id { get; } = id;

    public string Title { get; } = title;

    public Dictionary<string, Column> Columns { get; } = new(StringComparer.Ordinal);

    /// <summary>Figures beside the headline (ThreadedPool, the .NET alternatives, floors), one line each.</summary>
    public List<string> Context { get; } = [];

    public List<Headline> Headlines { get; } = [];

    public List<TargetResult> Targets { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>Paragraphs for "where the time goes": budgets and costs per item.</summary>
    public List<string> Analysis { get; } = [];

    /// <summary>A section of its own in the report (Markdown lines, headed by the workload's title), or empty.</summary>
    public List<string> Section { get; } = [];

    public string LoadBefore { get; set; } = string.Empty;

    public string LoadAfter { get; set; } = string.Empty;

    public TimeSpan Elapsed { get; set; }

    public Column this[string column] => Columns.TryGetValue(column, out var c) ? c : Columns[column] = new Column();

    public double Median(string column, string key) => Columns.TryGetValue(column, out var c) ? c.Median(key) : double.NaN;

    /// <summary>A context line for a column: its text, or why it has none.</summary>
    public void Line(string column, Func<Column, string> format, string? label = null)
    {
        string text;
        if (!Columns.TryGetValue(column, out var c))
        {
            return;
        }

        text = c.Samples.Count == 0 ? c.Failure ?? "—" : format(c) + (c.Failure is { } f ? $" ({f} in a later round)" : string.Empty);
        Context.Add($"{label ?? column}: {text}");
    }

    public void Target(string target, double ratio, double threshold, string measured)
        => Targets.Add(new TargetResult(Id, target, measured, double.IsNaN(ratio) ? null : ratio >= threshold));
}
