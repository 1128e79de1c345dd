using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Scriban.Runtime;
using WikiSync.Model;

namespace WikiSync.Rendering;

/// <summary>The <c>sal</c> object of every template: Server Admin Log helpers (documented in templates/README.md).</summary>
public static class SalFunctions
{
    // Non-backtracking: a message is untrusted and may be long.
    private static readonly Regex UrlPattern = new(@"https?://[^\s<>\[\]""{}|\\^`]+",
        RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly Dictionary<string, Regex> TaskPatterns = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>sal.message msg parameters</c>: the message as literal text, except bare http(s) URLs and — when
    /// <c>parameters.task_pattern</c> (a .NET regular expression such as <c>T\d+</c>) and
    /// <c>parameters.task_url</c> (with <c>{id}</c>) are set — task ids, which become external links.
    /// </summary>
    public static RawWikitext Message(object? message, object? parameters = null)
    {
        var text = WikiFunctions.Text(message);
        var taskPattern = Parameter(parameters, "task_pattern");
        var taskUrl = Parameter(parameters, "task_url");
        var tasks = string.IsNullOrEmpty(taskPattern) || string.IsNullOrEmpty(taskUrl) ? null : TaskRegex(taskPattern);

        var links = new List<(int Start, int Length, string Url)>();
        foreach (var match in UrlPattern.EnumerateMatches(text))
        {
            var length = match.Length;
            // As MediaWiki: trailing punctuation ends a sentence, not the URL (a ')' only without its '(').
            while (length > 0 && ".,;:!?'".Contains(text[match.Index + length - 1], StringComparison.Ordinal))
                length--;
            if (length > 0 && text[match.Index + length - 1] == ')' && !text.AsSpan(match.Index, length).Contains('('))
                length--;
            var url = text.Substring(match.Index, length);
            if (WikiEscape.SafeUrl(url) is { } safe && url.Contains("://", StringComparison.Ordinal) && url.Length > url.IndexOf("://", StringComparison.Ordinal) + 3)
                links.Add((match.Index, length, safe));
        }

        if (tasks is not null)
        {
            foreach (Match match in tasks.Matches(text))
            {
                var (index, length) = (match.Index, match.Length);
                if (length == 0 || links.Any(l => index < l.Start + l.Length && l.Start < index + length))
                    continue;
                var id = match.Value;
                var url = WikiEscape.SafeUrl(taskUrl!.Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal));
                if (url is not null)
                    links.Add((index, length, url));
            }
        }

        links.Sort((a, b) => a.Start.CompareTo(b.Start));
        var sb = new StringBuilder(text.Length + 32);
        var cursor = 0;
        foreach (var (start, length, url) in links)
        {
            if (start < cursor)
                continue;
            WikiEscape.Append(sb, text.AsSpan(cursor, start - cursor), cursor == 0);
            sb.Append('[').Append(url).Append(' ');
            WikiEscape.Append(sb, text.AsSpan(start, length), false);
            sb.Append(']');
            cursor = start + length;
        }

        WikiEscape.Append(sb, text.AsSpan(cursor), cursor == 0);
        return new(sb.ToString());
    }

    /// <summary>
    /// <c>sal.days entries</c>: the entries grouped by UTC day, newest day first and newest entry first
    /// within a day. Each item has <c>date</c> (<c>yyyy-MM-dd</c>) and <c>entries</c>.
    /// </summary>
    public static ScriptArray Days(object? entries)
    {
        var days = new ScriptArray();
        foreach (var day in Entries(entries).OrderByDescending(e => e.ReceivedUtc).ThenByDescending(e => e.Id)
                     .GroupBy(e => e.ReceivedUtc.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
        {
            days.Add(new ScriptObject { ["date"] = day.Key, ["entries"] = new ScriptArray(day) });
        }

        return days;
    }

    /// <summary><c>sal.recent entries days now</c>: entries of the last <c>days</c> UTC calendar days, today included.</summary>
    public static ScriptArray Recent(object? entries, object? days, object? now)
    {
        var count = days switch
        {
            null => 7,
            string s when s.Length == 0 => 7,
            string s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new ArgumentException($"days must be a positive whole number, not '{s}'.", nameof(days)),
            _ => Convert.ToInt32(days, CultureInfo.InvariantCulture),
        };
        var today = (WikiFunctions.ToDate(now) ?? throw new ArgumentException("now is missing.", nameof(now))).UtcDateTime.Date;
        var from = today.AddDays(1 - count);
        return new ScriptArray(Entries(entries).Where(e => e.ReceivedUtc.UtcDateTime >= from));
    }

    /// <summary><c>sal.month entries "2026-11"</c>: the entries of one UTC month.</summary>
    public static ScriptArray Month(object? entries, string month) =>
        new(Entries(entries).Where(e => MonthOf(e.ReceivedUtc) == month));

    /// <summary><c>sal.latest entries project_name</c>: the newest entry of a project, or null.</summary>
    public static LogEntry? Latest(object? entries, string project) =>
        Entries(entries).Where(e => string.Equals(e.Project, project, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(e => e.ReceivedUtc).ThenByDescending(e => e.Id).FirstOrDefault();

    /// <summary>
    /// <c>sal.months parameters.archives</c>: a comma-separated list of <c>yyyy-MM</c> months (or a list),
    /// distinct and newest first. Anything that is not such a month is an error.
    /// </summary>
    public static ScriptArray Months(object? months)
    {
        IEnumerable<string> items = months switch
        {
            null => [],
            string s => s.Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            IEnumerable e => e.Cast<object?>().Select(WikiFunctions.Text),
            _ => [WikiFunctions.Text(months)],
        };
        var list = items.Select(m => DateTime.TryParseExact(m, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? m
                : throw new ArgumentException($"'{m}' is not a month like 2026-11.", nameof(months)))
            .Distinct(StringComparer.Ordinal).OrderDescending(StringComparer.Ordinal);
        return new ScriptArray(list);
    }

    /// <summary><c>sal.month_of d</c>: <c>yyyy-MM</c> of a time, in UTC.</summary>
    public static string MonthOf(object? value) =>
        WikiFunctions.ToDate(value) is { } d ? d.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture) : "";

    private static IEnumerable<LogEntry> Entries(object? entries) => entries switch
    {
        null => [],
        IEnumerable e => e.OfType<LogEntry>(),
        _ => throw new ArgumentException("Expected a list of log entries.", nameof(entries)),
    };

    private static string? Parameter(object? parameters, string name) => parameters switch
    {
        null => null,
        IDictionary<string, object?> d => d.TryGetValue(name, out var v) ? WikiFunctions.Text(v) : null,
        IReadOnlyDictionary<string, string> d => d.TryGetValue(name, out var v) ? v : null,
        _ => null,
    };

    private static Regex TaskRegex(string pattern)
    {
        lock (TaskPatterns)
        {
            if (!TaskPatterns.TryGetValue(pattern, out var regex))
            {
                try
                {
                    regex = new Regex($@"(?<![\p{{L}}\p{{N}}_])(?:{pattern})(?![\p{{L}}\p{{N}}_])",
                        RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"task_pattern '{pattern}' is not a valid regular expression: {e.Message}", nameof(pattern), e);
                }

                TaskPatterns[pattern] = regex;
            }

            return regex;
        }
    }
}
