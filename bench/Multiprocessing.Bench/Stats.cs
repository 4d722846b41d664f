using System.Globalization;

namespace Multiprocessing.Bench;

/// <summary>Medians, nearest-rank percentiles and number formatting.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> samples)
    {
        double[] s = [.. samples.Order()];
        if (s.Length == 0)
        {
            return double.NaN;
        }

        int mid = s.Length / 2;
        return s.Length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }

    /// <summary>Nearest rank: the ceil(p/100 × n)-th smallest sample, as pool_bench.py.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        int rank = Math.Max(1, (int)Math.Ceiling(p / 100.0 * sorted.Length));
        return sorted[rank - 1];
    }

    public static string F(double value, int digits = 2) => double.IsNaN(value) ? "—" : value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Three significant digits, for times and rates of any size.</summary>
    public static string G(double value)
    {
        if (double.IsNaN(value))
        {
            return "—";
        }

        double a = Math.Abs(value);
        return a >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture)
            : a >= 10 ? value.ToString("F1", CultureInfo.InvariantCulture)
            : a >= 1 ? value.ToString("F2", CultureInfo.InvariantCulture)
            : value.ToString("G3", CultureInfo.InvariantCulture);
    }

    /// <summary>A rate with a k/M suffix: 12.3 M/s.</summary>
    public static string Rate(double perSecond) => double.IsNaN(perSecond) ? "—"
        : perSecond >= 1e6 ? G(perSecond / 1e6) + " M/s"
        : perSecond >= 1e3 ? G(perSecond / 1e3) + " k/s"
        : G(perSecond) + " /s";

    public static string Seconds(double s) => double.IsNaN(s) ? "—" : s >= 1 ? G(s) + " s" : G(s * 1e3) + " ms";

    public static string Ratio(double r) => double.IsNaN(r) || double.IsInfinity(r) ? "—" : G(r) + "x";
}

/// <summary>Named figures from one run of one variant (seconds, rates, percentiles ...).</summary>
internal sealed class Figures : Dictionary<string, double>
{
    public Figures()
        : base(StringComparer.Ordinal)
    {
    }

    public string? Note { get; set; }
}

/// <summary>
/// Runs one measurement on a thread of its own with a deadline. Pools created through <see cref="Track{T}"/>
/// are terminated when the deadline passes, so that a hung call cannot take the whole benchmark with it.
/// </summary>
internal sealed class Guard
{
    private readonly List<IPool> _pools = [];

    public T Track<T>(T pool)
        where T : IPool
    {
        lock (_pools)
        {
            _pools.Add(pool);
        }

        return pool;
    }

    public static (Figures? Figures, string? Failure) Run(TimeSpan timeout, Func<Guard, Figures> body)
    {
        var guard = new Guard();
        Figures? figures = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                figures = body(guard);
            }
#pragma warning disable CA1031 // Any failure of a measurement is reported in the table, not thrown.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = ex;
            }
        })
        { IsBackground = true, Name = "measurement" };
        thread.Start();
        if (!thread.Join(timeout))
        {
            guard.TerminateAll();
            thread.Join(TimeSpan.FromSeconds(10));
            return (null, $"TIMEOUT after {timeout.TotalSeconds:F0} s");
        }

        return error is null ? (figures, null) : (null, $"FAILED: {error.GetType().Name}: {error.Message.Split('\n')[0]}");
    }

    private void TerminateAll()
    {
        IPool[] pools;
        lock (_pools)
        {
            pools = [.. _pools];
        }

        foreach (var p in pools)
        {
            try
            {
                p.Terminate();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
            {
                // Already gone.
            }
        }
    }
}

/// <summary>What /proc tells about this machine and process (Linux); empty elsewhere.</summary>
internal static class ProcInfo
{
    /// <summary>Peak resident set size (VmHWM) of this process in MB, or NaN.</summary>
    public static double PeakRssMb() => StatusKb("VmHWM:") / 1024.0;

    public static double RssMb() => StatusKb("VmRSS:") / 1024.0;

    /// <summary>This process's nice value (field 19 of /proc/self/stat), or null.</summary>
    public static int? Nice()
    {
        string? stat = TryRead("/proc/self/stat");
        if (stat is null)
        {
            return null;
        }

        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 16 && int.TryParse(fields[16], CultureInfo.InvariantCulture, out int nice) ? nice : null;
    }

    public static string LoadAverage() => TryRead("/proc/loadavg") is { } s ? string.Join(' ', s.Split(' ').Take(3)) : "n/a";

    public static double Load1() => TryRead("/proc/loadavg") is { } s && double.TryParse(s.Split(' ')[0], CultureInfo.InvariantCulture, out double v) ? v : double.NaN;

    public static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double StatusKb(string key)
    {
        string? status = TryRead("/proc/self/status");
        string? line = status?.Split('\n').FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        if (line is null)
        {
            return double.NaN;
        }

        string number = line[key.Length..].Trim().Split(' ')[0];
        return double.TryParse(number, CultureInfo.InvariantCulture, out double kb) ? kb : double.NaN;
    }
}
