using System.Globalization;

namespace WikiSync.Benchmarks;

/// <summary>Several measurements of one figure: the median and the spread, as RESULTS.md prints them.</summary>
public sealed record Sample(IReadOnlyList<double> Values)
{
    public double Median
    {
        get
        {
            var sorted = Values.Order().ToArray();
            return sorted.Length == 0 ? double.NaN
                : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
                : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    public double Min => Values.Count == 0 ? double.NaN : Values.Min();

    public double Max => Values.Count == 0 ? double.NaN : Values.Max();

    /// <summary>"1.23 (1.20–1.31, n=5)" with the given number format.</summary>
    public string Format(string format = "0.00") => Values.Count switch
    {
        0 => "–",
        1 => Median.ToString(format, CultureInfo.InvariantCulture) + " (n=1)",
        _ => string.Create(CultureInfo.InvariantCulture,
            $"{Median.ToString(format, CultureInfo.InvariantCulture)} ({Min.ToString(format, CultureInfo.InvariantCulture)}–{Max.ToString(format, CultureInfo.InvariantCulture)}, n={Values.Count})"),
    };

    /// <summary>The p-th percentile (nearest rank).</summary>
    public double Percentile(double p)
    {
        var sorted = Values.Order().ToArray();
        if (sorted.Length == 0)
            return double.NaN;
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>One line of the targets table: what was asked, what was measured, and whether it was met.</summary>
public sealed record TargetLine(string Figure, string Target, string Measured, bool? Met, string Note = "");

/// <summary>What a scenario adds to RESULTS.md.</summary>
public sealed record ScenarioResult(string Title, string Markdown, IReadOnlyList<TargetLine> Targets);

internal static class Fmt
{
    public static string F(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Ratio(double value) => double.IsFinite(value) ? F(value, "0.0") + "×" : "–";
}
