using System.Globalization;
using System.Text.RegularExpressions;

namespace WikiSync.AdminLog.Import;

/// <summary>What one log page holds: its entries, the lines that did not parse, the archive pages it links, and where the hand-kept log lies.</summary>
public sealed record SalPage(
    string Title,
    IReadOnlyList<ImportedEntry> Entries,
    IReadOnlyList<ImportProblem> Problems,
    IReadOnlyList<string> ArchiveTitles,
    LogRegion? Region)
{
    public bool Exists { get; init; } = true;
}

/// <summary>The hand-kept log as character offsets in the page text: from its first day (or year) heading to its last line.</summary>
public sealed record LogRegion(int Start, int End);

/// <summary>
/// Reads a Server Admin Log page in the shapes earlier bots and people wrote: day headings
/// <c>== YYYY-MM-DD ==</c> (any level), or <c>== Month D ==</c> under a year heading <c>= YYYY =</c>;
/// entries <c>* HH:MM nick: message</c> or <c>* {{safesubst:SAL entry|1=HH:MM nick: message}}</c>, with
/// <c>{{!}}</c>, <c>{{=}}</c> and <c>&lt;nowiki&gt;</c> undone. Text inside WikiSync's own sections is ours
/// already and skipped. Inside a day every other non-blank line is a problem, since a take-over would replace it.
/// </summary>
public static partial class SalPageParser
{
    public static SalPage Parse(string title, string text)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<ImportedEntry>();
        var problems = new List<ImportProblem>();
        var pending = new List<ImportProblem>();
        var archives = new List<string>();
        int? year = null;
        DateOnly? day = null;
        int? regionStart = null;
        var regionEnd = 0;
        var insideOurs = false;
        var lineNumber = 0;
        var offset = 0;
        while (offset <= text.Length)
        {
            var newline = text.IndexOf('\n', offset);
            var lineEnd = newline < 0 ? text.Length : newline;
            var line = text[offset..lineEnd].TrimEnd('\r');
            var lineStart = offset;
            offset = lineEnd + 1;
            lineNumber++;

            if (OurMarker().Match(line) is { Success: true } marker)
            {
                insideOurs = marker.Groups[1].Value == "begin";
                continue;
            }

            if (insideOurs)
                continue;

            foreach (Match link in WikiLink().Matches(line))
            {
                if (ArchiveTitle(title, link.Groups[1].Value) is { } archive && !archives.Contains(archive, StringComparer.Ordinal))
                    archives.Add(archive);
            }

            var trimmed = line.Trim();
            if (Heading().Match(trimmed) is { Success: true } heading)
            {
                var words = heading.Groups[2].Value.Trim();
                if (IsoDay().IsMatch(words) && DateOnly.TryParseExact(words, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
                {
                    day = iso;
                }
                else if (YearOnly().IsMatch(words))
                {
                    year = int.Parse(words, CultureInfo.InvariantCulture);
                    day = null;
                }
                else if (MonthDay(words) is { } monthDay)
                {
                    if (year is { } y && DateOnly.TryParseExact($"{y} {monthDay}", ["yyyy MMMM d", "yyyy MMM d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var named))
                    {
                        day = named;
                    }
                    else
                    {
                        problems.Add(new ImportProblem(title, lineNumber, line, year is null ? "a day heading without a year heading above it" : "not a date of that year"));
                        day = null;
                        continue;
                    }
                }
                else
                {
                    // Another heading ("Archives", "See also"): the page's own text, unless more log follows it.
                    day = null;
                    if (regionStart is not null)
                        pending.Add(new ImportProblem(title, lineNumber, line, "a heading inside the log that is not a day"));
                    continue;
                }

                problems.AddRange(pending);
                pending.Clear();
                regionStart ??= lineStart;
                regionEnd = lineEnd;
                continue;
            }

            if (trimmed.Length == 0 || (trimmed.StartsWith("<!--", StringComparison.Ordinal) && trimmed.EndsWith("-->", StringComparison.Ordinal)))
                continue;

            if (day is null && Entry(trimmed) is not null)
            {
                // An entry outside any day: its date is unknown, so it cannot be taken.
                problems.Add(new ImportProblem(title, lineNumber, line, "an entry outside a day heading"));
                if (regionStart is not null)
                {
                    problems.AddRange(pending);
                    pending.Clear();
                    regionEnd = lineEnd;
                }

                continue;
            }

            if (day is null)
            {
                if (regionStart is not null)
                    pending.Add(new ImportProblem(title, lineNumber, line, "not an entry (* HH:MM nick: message)"));
                continue;
            }

            if (!trimmed.StartsWith('*'))
            {
                // Text after the last entry is the page's own (categories, a footer) and stays; text between
                // entries would be replaced by a take-over, so it is a problem once another entry follows.
                pending.Add(new ImportProblem(title, lineNumber, line, "not an entry (* HH:MM nick: message)"));
                continue;
            }

            problems.AddRange(pending);
            pending.Clear();
            regionEnd = lineEnd;
            if (Entry(trimmed) is not { } parsed)
            {
                problems.Add(new ImportProblem(title, lineNumber, line, "not an entry (* HH:MM nick: message)"));
                continue;
            }

            if (parsed.Hour > 23 || parsed.Minute > 59)
            {
                problems.Add(new ImportProblem(title, lineNumber, line, "not a time of day"));
                continue;
            }

            if (parsed.Message.Length == 0)
            {
                problems.Add(new ImportProblem(title, lineNumber, line, "an entry without a message"));
                continue;
            }

            var utc = new DateTimeOffset(day.Value.ToDateTime(new TimeOnly(parsed.Hour, parsed.Minute), DateTimeKind.Utc));
            if (LogEntryBounds.Check(parsed.Author, parsed.Message) is { } bound)
            {
                problems.Add(new ImportProblem(title, lineNumber, line, bound));
                continue;
            }

            entries.Add(new ImportedEntry(utc, parsed.Author, parsed.Message, title, lineNumber));
        }

        problems.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new SalPage(title, entries, problems, archives, regionStart is { } start ? new LogRegion(start, regionEnd) : null);
    }

    private sealed record ParsedLine(int Hour, int Minute, string Author, string Message);

    private static ParsedLine? Entry(string line)
    {
        var body = line.TrimStart('*').Trim();
        if (SalEntryTemplate().Match(body) is { Success: true } template)
            body = template.Groups[1].Value.Trim();
        // A page WikiSync wrote before (outside its markers, e.g. copied) carries the entry's anchor.
        body = Anchor().Replace(body, "");
        var m = PlainEntry().Match(body);
        if (!m.Success)
            return null;
        return new ParsedLine(
            int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            Unescape(m.Groups[3].Value),
            Unescape(m.Groups[4].Value).Trim());
    }

    /// <summary>Undoes what a bot did to keep a message from being read as markup.</summary>
    internal static string Unescape(string text)
    {
        var undone = text.Replace("{{!}}", "|", StringComparison.Ordinal).Replace("{{=}}", "=", StringComparison.Ordinal);
        return NowikiTag().Replace(undone, "");
    }

    private static string? MonthDay(string words) => MonthDayPattern().IsMatch(words) ? words : null;

    /// <summary>A link target that is a subpage of the log page (<c>[[/Archive 1]]</c> or the full title), normalised as the wiki would.</summary>
    private static string? ArchiveTitle(string page, string target)
    {
        var t = target.Trim().Replace('_', ' ');
        if (t.StartsWith('/'))
            t = page.Replace('_', ' ').TrimEnd('/') + t.TrimEnd('/');
        var prefix = page.Replace('_', ' ') + "/";
        if (t.Length <= prefix.Length || !Upper(t).StartsWith(Upper(prefix), StringComparison.Ordinal))
            return null;
        return prefix + t[prefix.Length..];
    }

    private static string Upper(string title) => title.Length == 0 ? title : char.ToUpperInvariant(title[0]) + title[1..];

    [GeneratedRegex(@"^<!--\s*wikisync:(begin|end)\s+[^ ]+\s*-->$")]
    private static partial Regex OurMarker();

    [GeneratedRegex(@"\[\[([^\]\|#]+)(?:[\|#][^\]]*)?\]\]")]
    private static partial Regex WikiLink();

    [GeneratedRegex(@"^(=+)(.+?)\1$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex IsoDay();

    [GeneratedRegex(@"^\d{4}$")]
    private static partial Regex YearOnly();

    [GeneratedRegex(@"^[A-Za-z]{3,9}\.? \d{1,2}$")]
    private static partial Regex MonthDayPattern();

    [GeneratedRegex(@"^\{\{\s*(?:(?:safe)?subst:)?\s*SAL[ _]entry\s*\|\s*(?:1\s*=)?(.*)\}\}$", RegexOptions.IgnoreCase)]
    private static partial Regex SalEntryTemplate();

    [GeneratedRegex(@"^<span id=""[^""]*""></span>")]
    private static partial Regex Anchor();

    [GeneratedRegex(@"^(\d{1,2}):(\d{2})\s+([^\s:]+):(?:\s+(.*)|$)")]
    private static partial Regex PlainEntry();

    [GeneratedRegex(@"</?nowiki\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex NowikiTag();
}
