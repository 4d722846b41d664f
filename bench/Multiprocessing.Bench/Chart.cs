using ScottPlot;

namespace Multiprocessing.Bench;

/// <summary>docs/benchmarks.png: ours against Python per figure, first call and warm, as ratios on a log axis.</summary>
internal static class Chart
{
    private static readonly double[] s_ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

    /// <summary>Writes the chart; returns why not, or null.</summary>
    public static string? TryWrite(IReadOnlyList<WorkloadResult> results, string path, Settings s)
    {
        var rows = results.SelectMany(r => r.Headlines).Where(h => Valid(h.RatioCold) || Valid(h.RatioWarm)).ToList();
        if (rows.Count == 0)
        {
            return "no figure has a Python counterpart";
        }

        try
        {
            var plot = new Plot();
            var cold = Colors.C0;
            var warm = Colors.C1;
            var bars = new List<Bar>();
            for (int i = 0; i < rows.Count; i++)
            {
                // Horizontal bars from 1x, the first figure at the top: right when ours is better, left when worse; the length is log10 of the ratio.
                double y = rows.Count - 1 - i;
                if (Valid(rows[i].RatioCold))
                {
                    bars.Add(new Bar { Position = y + 0.2, Value = Math.Log10(rows[i].RatioCold), ValueBase = 0, FillColor = cold, Size = 0.38, Label = Stats.Ratio(rows[i].RatioCold) });
                }

                if (Valid(rows[i].RatioWarm))
                {
                    bars.Add(new Bar { Position = y - 0.2, Value = Math.Log10(rows[i].RatioWarm), ValueBase = 0, FillColor = warm, Size = 0.38, Label = Stats.Ratio(rows[i].RatioWarm) });
                }
            }

            var barPlot = plot.Add.Bars(bars);
            for (int i = 0; i < rows.Count; i++)
            {
                if (Valid(rows[i].TargetRatio))
                {
                    plot.Add.Marker(Math.Log10(rows[i].TargetRatio), rows.Count - 1 - i + 0.2, MarkerShape.VerticalBar, 16, Colors.Black).MarkerLineWidth = 2.5f;
                }
            }

            barPlot.Horizontal = true;
            barPlot.ValueLabelStyle.FontSize = 11;
            plot.Add.VerticalLine(0, 1.5f, Colors.Black);

            double max = Math.Max(1, bars.Max(b => b.Value));
            double min = Math.Min(0, bars.Min(b => b.Value));
            var ticks = s_ticks.Where(t => Math.Log10(t) >= min - 0.31 && Math.Log10(t) <= max + 0.31).ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks.Select(Math.Log10)], [.. ticks.Select(t => t.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "x")]);
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - 1 - i))], [.. rows.Select(h => $"{h.Workload} {h.Label}")]);
            plot.Axes.Left.TickLabelStyle.FontSize = 13;
            plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
            plot.Axes.SetLimits(min - 0.3, max + 0.35, -0.7, rows.Count - 0.3);
            plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
            plot.Title($"Multiprocessing.NET vs CPython multiprocessing ({s.Processes} workers, {s.Cores} cores{(s.Quick ? ", quick mode" : string.Empty)})");
            plot.XLabel("ours / Python, log scale (right of 1x: ours better)");
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "first call in a fresh process", FillColor = cold });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "warm repeat", FillColor = warm });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "target (first call)", MarkerShape = MarkerShape.VerticalBar, MarkerLineColor = Colors.Black, MarkerSize = 12 });
            plot.ShowLegend(Edge.Bottom);
            plot.SavePng(path, 1100, (34 * rows.Count) + 210);
            return null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or IOException or UnauthorizedAccessException)
        {
            return $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
        }
    }

    private static bool Valid(double ratio) => !double.IsNaN(ratio) && !double.IsInfinity(ratio) && ratio > 0;
}
