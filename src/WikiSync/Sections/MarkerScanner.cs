namespace WikiSync.Sections;

/// <summary>
/// One left-to-right pass over a page that finds the wikisync markers the way MediaWiki's preprocessor
/// finds comments: a comment runs from <c>&lt;!--</c> to the first <c>--&gt;</c> (or to the end of the
/// page when unclosed), and the content of the protected tags below is opaque. Never uses regular
/// expressions, so no input can make it backtrack.
/// </summary>
/// <remarks>
/// Tolerance (documented in templates/README.md too): any white space (space, tab, CR, LF) may stand after
/// <c>&lt;!--</c>, between the keyword and the name, and before <c>--&gt;</c>. A comment whose text starts with
/// <c>wikisync:</c> (any case) is meant as a marker: when its keyword is not exactly <c>begin</c> or
/// <c>end</c>, or its name is not <c>[a-z0-9-]+</c>, it is a problem rather than plain text, so a typo never
/// turns into a silently duplicated section. An unclosed protected tag is literal text and scanning goes on
/// after it — that is what MediaWiki 1.39 does (Preprocessor_Hash: only includeonly/noinclude/onlyinclude may
/// run to the end), so the splicer and the wiki always agree on which comments are markers.
/// </remarks>
internal static class MarkerScanner
{
    /// <summary>Tags whose content MediaWiki hands to a tag hook unparsed: core ones and common extensions.</summary>
    private static readonly HashSet<string> ProtectedTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "nowiki", "pre", "gallery", "indicator",
        "syntaxhighlight", "source", "math", "chem", "ce", "ref", "references", "poem", "categorytree",
        "imagemap", "inputbox", "templatedata", "citation", "score", "timeline", "hiero", "graph",
        "mapframe", "maplink",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ProtectedLookup =
        ProtectedTags.GetAlternateLookup<ReadOnlySpan<char>>();

    private const string Prefix = "wikisync:";

    internal enum MarkerKind
    {
        Begin,
        End,
    }

    /// <summary>A marker comment: [Start, End) covers <c>&lt;!-- ... --&gt;</c>.</summary>
    internal readonly record struct Marker(MarkerKind Kind, string Name, int Start, int End);

    /// <summary>A stretch of the page MediaWiki does not parse as wikitext (comment or protected tag).</summary>
    internal readonly record struct Opaque(int Start, int End);

    /// <param name="UnclosedCommentAt">Where a comment that runs to the end of the page starts, or -1.</param>
    /// <param name="UnclosedTagAt">Where the first protected tag without a closing tag starts, or -1.</param>
    internal sealed record Result(List<Marker> Markers, List<(int Position, string? Name, string Reason)> Problems,
        List<Opaque> Opaque, int UnclosedCommentAt, int UnclosedTagAt);

    public static Result Scan(string page)
    {
        var markers = new List<Marker>();
        var problems = new List<(int, string?, string)>();
        var opaque = new List<Opaque>();
        HashSet<string>? noMoreClosing = null;
        var noMoreGt = false;
        var unclosedCommentAt = -1;
        var unclosedTagAt = -1;
        var i = 0;
        while (i < page.Length)
        {
            var lt = page.IndexOf('<', i);
            if (lt < 0)
                break;
            if (string.CompareOrdinal(page, lt, "<!--", 0, 4) == 0)
            {
                var close = page.IndexOf("-->", lt + 4, StringComparison.Ordinal);
                var end = close < 0 ? page.Length : close + 3;
                if (close < 0)
                    unclosedCommentAt = lt;
                opaque.Add(new Opaque(lt, end));
                var inner = page.AsSpan(lt + 4, (close < 0 ? page.Length : close) - lt - 4);
                ClassifyComment(inner, lt, end, close < 0, markers, problems);
                i = end;
                continue;
            }

            var nameStart = lt + 1;
            var nameEnd = nameStart;
            while (nameEnd < page.Length && char.IsAsciiLetterOrDigit(page[nameEnd]))
                nameEnd++;
            if (nameEnd == nameStart || noMoreGt || !IsTagNameEnd(page, nameEnd))
            {
                i = lt + 1;
                continue;
            }

            if (!ProtectedLookup.TryGetValue(page.AsSpan(nameStart, nameEnd - nameStart), out var name))
            {
                i = lt + 1;
                continue;
            }

            var gt = page.IndexOf('>', nameEnd);
            if (gt < 0)
            {
                // As MediaWiki: with no '>' left no later tag can be closed either.
                noMoreGt = true;
                i = lt + 1;
                continue;
            }

            if (page[gt - 1] == '/')
            {
                i = gt + 1;
                continue;
            }

            var closeEnd = noMoreClosing?.Contains(name) == true ? -1 : FindClosingTag(page, name, gt + 1);
            if (closeEnd < 0)
            {
                // Unclosed: the opening tag is literal text and parsing resumes after it (MediaWiki does so).
                (noMoreClosing ??= new(StringComparer.OrdinalIgnoreCase)).Add(name);
                if (unclosedTagAt < 0)
                    unclosedTagAt = lt;
                i = gt + 1;
                continue;
            }

            opaque.Add(new Opaque(lt, closeEnd));
            i = closeEnd;
        }

        return new Result(markers, problems, opaque, unclosedCommentAt, unclosedTagAt);
    }

    private static bool IsTagNameEnd(string page, int at) =>
        at < page.Length && (page[at] == '>' || char.IsWhiteSpace(page[at]) ||
                             (page[at] == '/' && at + 1 < page.Length && page[at + 1] == '>'));

    /// <summary>The index just after <c>&lt;/name\s*&gt;</c> (any case), or -1.</summary>
    private static int FindClosingTag(string page, string name, int from)
    {
        var needle = "</" + name;
        while (from < page.Length)
        {
            var at = page.IndexOf(needle, from, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
                return -1;
            var j = at + needle.Length;
            while (j < page.Length && char.IsWhiteSpace(page[j]))
                j++;
            if (j < page.Length && page[j] == '>')
                return j + 1;
            from = at + needle.Length;
        }

        return -1;
    }

    private static void ClassifyComment(ReadOnlySpan<char> inner, int start, int end, bool unclosed,
        List<Marker> markers, List<(int, string?, string)> problems)
    {
        var text = inner.Trim(" \t\r\n");
        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            return;
        if (unclosed)
        {
            problems.Add((start, null, "marker comment is not closed with '-->' (the rest of the page would be a comment)"));
            return;
        }

        var rest = text[Prefix.Length..];
        var gap = rest.IndexOfAny(" \t\r\n");
        var keyword = gap < 0 ? rest : rest[..gap];
        var name = gap < 0 ? [] : rest[gap..].TrimStart(" \t\r\n");
        MarkerKind kind;
        if (keyword.SequenceEqual("begin"))
            kind = MarkerKind.Begin;
        else if (keyword.SequenceEqual("end"))
            kind = MarkerKind.End;
        else
        {
            problems.Add((start, null, $"unknown marker 'wikisync:{keyword}': expected wikisync:begin NAME or wikisync:end NAME"));
            return;
        }

        if (name.IsEmpty)
        {
            problems.Add((start, null, $"wikisync:{keyword} marker without a section name"));
            return;
        }

        if (!IsValidName(name))
        {
            problems.Add((start, name.ToString(), $"invalid section name '{name}' in wikisync:{keyword} marker: only a-z, 0-9 and '-' are allowed"));
            return;
        }

        markers.Add(new Marker(kind, name.ToString(), start, end));
    }

    /// <summary>Whether a name fits <c>[a-z0-9-]+</c>.</summary>
    public static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
            return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                return false;
        }

        return true;
    }
}
