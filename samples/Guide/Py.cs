using System.Globalization;

namespace Guide;

/// <summary>What the examples share: the sleep scale and Python-style formatting.</summary>
internal static class Py
{
    /// <summary>Every sleep of the guide's examples is multiplied by this, so each example ends in a few seconds.</summary>
    public const double SleepScale = 0.1;

    /// <summary>Python's <c>sleep(seconds)</c>, scaled by <see cref="SleepScale"/>.</summary>
    /// <param name="seconds">The guide's seconds.</param>
    public static void Sleep(double seconds) => Thread.Sleep(TimeSpan.FromSeconds(seconds * SleepScale));

    /// <summary>Python's <c>random()</c>: a double in [0, 1).</summary>
    /// <returns>The number.</returns>
    public static double Random() => System.Random.Shared.NextDouble();

    /// <summary>A double as Python's <c>repr</c> writes it (shortest round-trip, '.' as the decimal point, in every process).</summary>
    /// <param name="value">The number.</param>
    /// <returns>The text.</returns>
    public static string Str(double value)
    {
        string s = value.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.', StringComparison.Ordinal) || s.Contains('E', StringComparison.Ordinal) ? s : s + ".0";
    }

    /// <summary>A tuple <c>(value, random)</c> as Python prints it.</summary>
    /// <param name="t">The tuple.</param>
    /// <returns>The text.</returns>
    public static string Str((int Value, double Random) t) => string.Create(CultureInfo.InvariantCulture, $"({t.Value}, {Str(t.Random)})");

    /// <summary>Prints a line, prefixed so that a reader tells the port's remarks from the guide's output.</summary>
    /// <param name="text">The remark.</param>
    public static void Note(string text) => Console.WriteLine("[note] " + text);
}
