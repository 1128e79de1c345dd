using System.Globalization;
using System.Text.RegularExpressions;

namespace WikiSync.Yaml;

/// <summary>
/// How a person writes a length of time in WikiSync's files and variables: <c>500ms</c>, <c>30s</c>, <c>5m</c>,
/// <c>2h</c>, <c>1d</c>, combined as <c>1h30m</c>; where <paramref name="bareSeconds"/> allows, a bare number is seconds.
/// </summary>
public static partial class Durations
{
    public static bool TryParse(string? text, bool bareSeconds, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
            return false;
        if (bareSeconds && long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }
        var match = Pattern().Match(trimmed);
        if (!match.Success)
            return false;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny(['m', 's', 'h', 'd']);
            if (!long.TryParse(part.Value.AsSpan(0, unitStart), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                return false;
            duration += part.Value[unitStart..] switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                _ => TimeSpan.FromDays(number),
            };
        }
        return true;
    }

    /// <summary>The shortest way to write <paramref name="duration"/> back (<c>10m</c>, <c>1h30m</c>, <c>90s</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration.TotalMilliseconds % 1000 != 0)
            return string.Create(CultureInfo.InvariantCulture, $"{(long)duration.TotalMilliseconds}ms");
        var parts = new List<string>();
        if (duration.Days > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{duration.Days}d"));
        if (duration.Hours > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{duration.Hours}h"));
        if (duration.Minutes > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{duration.Minutes}m"));
        if (duration.Seconds > 0 || parts.Count == 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{duration.Seconds}s"));
        return string.Concat(parts);
    }

    [GeneratedRegex(@"^(?<part>\d+(ms|s|m|h|d))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
