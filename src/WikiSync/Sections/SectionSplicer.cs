using System.Text;

namespace WikiSync.Sections;

/// <summary>Replaces the text between each section's markers and keeps every other byte as it was.</summary>
/// <remarks>
/// A generated section always has the form <c>&lt;!-- wikisync:begin NAME --&gt;\n</c> + text +
/// <c>\n&lt;!-- wikisync:end NAME --&gt;</c>, where text is the rendered text without its trailing line
/// breaks; so splicing the same text again finds nothing to change. Existing markers are kept byte for byte
/// (also when a person wrote them with other spacing); only what lies between them is replaced.
/// </remarks>
public static class SectionSplicer
{
    /// <summary>
    /// Splices every section into the page. Sections the page does not mention are placed per their
    /// <see cref="Placement"/> (when <see cref="SectionContent.PlaceIfMissing"/>) or listed as missing.
    /// Broken markers leave the page untouched and are listed in <see cref="SpliceResult.Problems"/>.
    /// </summary>
    /// <param name="layout">
    /// The order the job files ask for among all sections: a new section whose own anchor is absent goes
    /// before the first section on the page it should precede (or after the last it should follow).
    /// </param>
    /// <exception cref="ArgumentException">A section name is not <c>[a-z0-9-]+</c> or is given twice.</exception>
    public static SpliceResult Splice(string page, IReadOnlyList<SectionContent> sections, SectionLayout? layout = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(sections);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            if (!MarkerScanner.IsValidName(section.Name))
                throw new ArgumentException($"Section name '{section.Name}' is invalid: only a-z, 0-9 and '-' are allowed.", nameof(sections));
            if (!wanted.Add(section.Name))
                throw new ArgumentException($"Section '{section.Name}' is given twice.", nameof(sections));
        }

        var scan = Scan(page);
        if (scan.Problems.Count > 0)
            return new SpliceResult(page, [], [], [], scan.Problems);

        var textProblems = new List<MarkerProblem>();
        foreach (var section in sections)
        {
            if (TextProblem(section.Text) is { } reason)
            {
                var line = scan.Sections.FirstOrDefault(s => s.Name == section.Name)?.Line ?? 1;
                textProblems.Add(new MarkerProblem(line, section.Name, reason));
            }
        }

        if (textProblems.Count > 0)
            return new SpliceResult(page, [], [], [], textProblems);

        var found = new Dictionary<string, FoundSection>(StringComparer.Ordinal);
        foreach (var s in scan.Sections)
            found[s.Name] = s;

        var changed = new List<string>();
        var added = new List<string>();
        var missing = new List<string>();
        var replacements = new List<(int Start, int End, string Inner)>();
        // Insertions grouped by position; each group keeps its blocks in order so After/Before a section
        // placed in this same call lands right next to it.
        var groups = new SortedDictionary<int, List<(string Name, string Block)>>();
        var placedAt = new Dictionary<string, int>(StringComparer.Ordinal);
        List<Heading>? headings = null;

        foreach (var section in PlacementOrder(sections, found))
        {
            var inner = Inner(section.Text);
            if (found.TryGetValue(section.Name, out var existing))
            {
                if (!page.AsSpan(existing.ContentStart, existing.ContentEnd - existing.ContentStart).SequenceEqual(inner))
                {
                    replacements.Add((existing.ContentStart, existing.ContentEnd, inner));
                    changed.Add(section.Name);
                }

                continue;
            }

            if (!section.PlaceIfMissing)
            {
                missing.Add(section.Name);
                continue;
            }

            var block = BlockOf(section.Name, inner);
            added.Add(section.Name);
            var placement = section.Placement ?? Placement.End;
            var target = placement.Target;
            switch (placement.Kind)
            {
                case PlacementKind.AfterSection or PlacementKind.BeforeSection when target is not null && placedAt.TryGetValue(target, out var at):
                {
                    var group = groups[at];
                    var index = group.FindIndex(g => g.Name == target);
                    group.Insert(placement.Kind == PlacementKind.AfterSection ? index + 1 : index, (section.Name, block));
                    placedAt[section.Name] = at;
                    continue;
                }
                default:
                {
                    // The job's own placement wins when it can be followed; the layout only stands in for a
                    // missing anchor or "end".
                    var ownAnchor = target is not null && found.ContainsKey(target);
                    var position = placement.Kind is PlacementKind.Start or PlacementKind.UnderHeading || ownAnchor
                        ? Position(page, placement, found, scan, ref headings)
                        : Neighbour(section.Name, scan, layout) ?? Position(page, placement, found, scan, ref headings);
                    if (!groups.TryGetValue(position, out var group))
                        groups[position] = group = [];
                    // Several sections at one spot appear in the order they were given.
                    group.Add((section.Name, block));
                    placedAt[section.Name] = position;
                    break;
                }
            }
        }

        if (scan.UnclosedCommentAt >= 0 && groups.Keys.Any(p => p > scan.UnclosedCommentAt))
        {
            // MediaWiki would hide the new section in that comment and later see half a marker pair.
            var name = groups.First(g => g.Key > scan.UnclosedCommentAt).Value[0].Name;
            var line = page.AsSpan(0, scan.UnclosedCommentAt).Count('\n') + 1;
            return new SpliceResult(page, [], [], [], [new MarkerProblem(line, name,
                "cannot place the section: the page ends inside a comment that is never closed ('<!--' without '-->')")]);
        }

        if (replacements.Count == 0 && groups.Count == 0)
            return new SpliceResult(page, changed, added, missing, []);

        var edits = new List<(int Start, int End, string Text)>(replacements);
        foreach (var (position, group) in groups)
        {
            var text = string.Join("\n", group.Select(g => g.Block));
            var before = position > 0 && page[position - 1] != '\n' ? "\n" : "";
            var after = position < page.Length && page[position] != '\n' ? "\n" : "";
            edits.Add((position, position, before + text + after));
        }

        edits.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        var sb = new StringBuilder(page.Length + edits.Sum(e => e.Text.Length));
        var cursor = 0;
        foreach (var (start, end, text) in edits)
        {
            sb.Append(page, cursor, start - cursor).Append(text);
            cursor = end;
        }

        sb.Append(page, cursor, page.Length - cursor);
        var result = sb.ToString();

        // Each text is fine on its own, but next to its neighbours (a hand-written '<pre' right before a new
        // section and a '</pre>' after it, or a text ending in '<nowiki ') a marker could still vanish. One more
        // linear scan, paid only when the page really changes, proves the page reads back as written.
        var check = Scan(result);
        var written = changed.Concat(added).ToHashSet(StringComparer.Ordinal);
        var expected = sections.Where(s => written.Contains(s.Name)).ToDictionary(s => s.Name, s => Inner(s.Text), StringComparer.Ordinal);
        var seen = check.Sections.Where(s => expected.TryGetValue(s.Name, out var inner) && s.Content(result) == inner).Count();
        if (check.Problems.Count > 0 || seen != expected.Count || check.Sections.Count != scan.Sections.Count + added.Count)
        {
            return new SpliceResult(page, [], [], [], [new MarkerProblem(1, string.Join(",", written),
                "the spliced page would not read back as the same sections (a tag or comment opened next to a marker " +
                "would swallow it); page left as it was")]);
        }

        return new SpliceResult(result, changed, added, missing, []);
    }

    /// <summary>
    /// The sections in the order given, except that one placed after or before another new section comes after
    /// it: jobs arrive in any order, and "members after instances" must not depend on which job ran first.
    /// Placements that form a cycle keep the given order (each then falls back to its own position).
    /// </summary>
    private static List<SectionContent> PlacementOrder(IReadOnlyList<SectionContent> sections, Dictionary<string, FoundSection> found)
    {
        var names = sections.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        string? Anchor(SectionContent s) =>
            s.Placement is { Kind: PlacementKind.AfterSection or PlacementKind.BeforeSection, Target: { } t }
            && t != s.Name && names.Contains(t) && !found.ContainsKey(t) ? t : null;
        if (sections.All(s => Anchor(s) is null))
            return [.. sections];

        var ordered = new List<SectionContent>(sections.Count);
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        var pending = sections.ToList();
        for (var progress = true; progress && pending.Count > 0;)
        {
            progress = false;
            foreach (var section in pending.ToList())
            {
                if (Anchor(section) is { } anchor && !emitted.Contains(anchor))
                    continue;
                ordered.Add(section);
                emitted.Add(section.Name);
                pending.Remove(section);
                progress = true;
            }
        }

        ordered.AddRange(pending);
        return ordered;
    }

    /// <summary>Why a generated text cannot go between markers, or null when it can.</summary>
    private static string? TextProblem(string text)
    {
        var raw = MarkerScanner.Scan(text);
        string Where(int position) => $"line {text.AsSpan(0, position).Count('\n') + 1} of the generated text";
        if (raw.Markers.Count > 0)
            return $"generated text holds a wikisync marker ({Where(raw.Markers[0].Start)}); it would break the page's sections";
        if (raw.Problems.Count > 0)
            return $"generated text holds a marker-like comment ({Where(raw.Problems[0].Position)}): {raw.Problems[0].Reason}";
        if (raw.UnclosedCommentAt >= 0)
            return $"generated text opens a comment it never closes ({Where(raw.UnclosedCommentAt)}); it would swallow the end marker";
        if (raw.UnclosedTagAt >= 0)
            return $"generated text opens a <nowiki>/<pre>-like tag it never closes ({Where(raw.UnclosedTagAt)}); it could swallow the end marker";
        return null;
    }

    /// <summary>Finds the sections a page has (in page order) and its marker problems, without changing anything.</summary>
    public static SectionScan Scan(string page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var raw = MarkerScanner.Scan(page);
        var lines = new LineIndex(page);
        var problems = raw.Problems.Select(p => new MarkerProblem(lines.LineOf(p.Position), p.Name, p.Reason)).ToList();
        var sections = new List<FoundSection>();
        var done = new Dictionary<string, int>(StringComparer.Ordinal);
        MarkerScanner.Marker? open = null;
        var markers = raw.Markers;
        for (var m = 0; m < markers.Count; m++)
        {
            var marker = markers[m];
            var line = lines.LineOf(marker.Start);
            if (marker.Kind == MarkerScanner.MarkerKind.Begin)
            {
                if (open is { } outer)
                {
                    problems.Add(new MarkerProblem(line, marker.Name,
                        $"begin marker inside section '{outer.Name}' opened at line {lines.LineOf(outer.Start)}: sections cannot nest"));
                    continue;
                }

                if (done.TryGetValue(marker.Name, out var firstLine))
                    problems.Add(new MarkerProblem(line, marker.Name, $"duplicate section: it already appears at line {firstLine}"));
                open = marker;
                continue;
            }

            if (open is not { } begin)
            {
                var laterBegin = markers.FindIndex(m + 1, x => x.Kind == MarkerScanner.MarkerKind.Begin && x.Name == marker.Name);
                problems.Add(new MarkerProblem(line, marker.Name, laterBegin >= 0
                    ? $"end marker comes before its begin marker (line {lines.LineOf(markers[laterBegin].Start)})"
                    : "end marker without a begin marker"));
                continue;
            }

            if (begin.Name != marker.Name)
            {
                problems.Add(new MarkerProblem(line, marker.Name,
                    $"end marker while section '{begin.Name}' (opened at line {lines.LineOf(begin.Start)}) is still open: sections cannot nest or overlap"));
                continue;
            }

            open = null;
            if (!done.ContainsKey(marker.Name))
            {
                done[marker.Name] = lines.LineOf(begin.Start);
                sections.Add(new FoundSection(marker.Name, lines.LineOf(begin.Start), begin.Start, begin.End, marker.Start, marker.End));
            }
        }

        if (open is { } unclosed)
            problems.Add(new MarkerProblem(lines.LineOf(unclosed.Start), unclosed.Name, "begin marker without an end marker"));

        problems.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new SectionScan(sections, problems, raw.Opaque, raw.UnclosedCommentAt);
    }

    /// <summary>The canonical marker pair around a text, as the splicer writes it (used for page skeletons too).</summary>
    public static string Block(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!MarkerScanner.IsValidName(name))
            throw new ArgumentException($"Section name '{name}' is invalid: only a-z, 0-9 and '-' are allowed.", nameof(name));
        return BlockOf(name, Inner(text));
    }

    private static string BlockOf(string name, string inner) =>
        $"<!-- wikisync:begin {name} -->{inner}<!-- wikisync:end {name} -->";

    /// <summary>What a rendered text becomes between its markers: compared with <see cref="FoundSection.Content"/> to tell whether splicing would change it.</summary>
    public static string Inner(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "\n" + text.TrimEnd('\n', '\r') + "\n";
    }

    /// <summary>
    /// Where the layout puts a new section among those on the page: right before the first one it precedes,
    /// else right after the last one it follows; null when the layout relates it to none of them.
    /// </summary>
    private static int? Neighbour(string name, SectionScan scan, SectionLayout? layout)
    {
        if (layout is null)
            return null;
        foreach (var s in scan.Sections)
        {
            if (layout.Precedes(name, s.Name))
                return s.Start;
        }

        for (var i = scan.Sections.Count - 1; i >= 0; i--)
        {
            if (layout.Precedes(scan.Sections[i].Name, name))
                return scan.Sections[i].End;
        }

        return null;
    }

    private static int Position(string page, Placement placement, Dictionary<string, FoundSection> found,
        SectionScan scan, ref List<Heading>? headings)
    {
        switch (placement.Kind)
        {
            case PlacementKind.Start:
                return 0;
            case PlacementKind.AfterSection when placement.Target is { } t && found.TryGetValue(t, out var s):
                return s.End;
            case PlacementKind.BeforeSection when placement.Target is { } t && found.TryGetValue(t, out var s):
                return s.Start;
            case PlacementKind.UnderHeading when placement.Target is { } heading:
                headings ??= Headings.Find(page, scan);
                var index = headings.FindIndex(h => h.Text == heading.Trim());
                if (index < 0)
                    index = headings.FindIndex(h => string.Equals(h.Text, heading.Trim(), StringComparison.OrdinalIgnoreCase));
                if (index < 0)
                    return page.Length;
                var level = headings[index].Level;
                var next = headings.FindIndex(index + 1, h => h.Level <= level);
                if (next < 0)
                    return page.Length;
                // End of the part's own text, so the blank line before the next heading stays below the section.
                var position = headings[next].LineStart;
                while (position > headings[index].LineEnd && (page[position - 1] == '\n' || page[position - 1] == '\r'))
                    position--;
                return position;
            default:
                return page.Length;
        }
    }

    /// <summary>
    /// Maps a string index to its 1-based line. Markers are asked for in page order, so counting on from the
    /// last answer keeps the whole scan one vectorised pass; a backward question counts from the start.
    /// </summary>
    private sealed class LineIndex(string page)
    {
        private int _position;
        private int _line = 1;

        public int LineOf(int position)
        {
            if (position < _position)
                return page.AsSpan(0, position).Count('\n') + 1;
            _line += page.AsSpan(_position, position - _position).Count('\n');
            _position = position;
            return _line;
        }
    }
}

/// <summary>A section a page holds: [Start, End) covers both markers, [ContentStart, ContentEnd) the text between them.</summary>
public sealed record FoundSection(string Name, int Line, int Start, int ContentStart, int ContentEnd, int End)
{
    public string Content(string page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page[ContentStart..ContentEnd];
    }
}

/// <summary>What <see cref="SectionSplicer.Scan"/> found: well-formed sections and marker problems.</summary>
public sealed record SectionScan(IReadOnlyList<FoundSection> Sections, IReadOnlyList<MarkerProblem> Problems)
{
    internal SectionScan(IReadOnlyList<FoundSection> sections, IReadOnlyList<MarkerProblem> problems,
        IReadOnlyList<MarkerScanner.Opaque> opaque, int unclosedCommentAt) : this(sections, problems)
    {
        Opaque = opaque;
        UnclosedCommentAt = unclosedCommentAt;
    }

    internal IReadOnlyList<MarkerScanner.Opaque> Opaque { get; } = [];

    internal int UnclosedCommentAt { get; } = -1;
}
