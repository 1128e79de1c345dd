namespace WikiSync.Sections;

/// <summary>A wikitext heading line: [LineStart, LineEnd) without the line break.</summary>
internal readonly record struct Heading(int Level, string Text, int LineStart, int LineEnd);

/// <summary>Finds headings the way a reader sees them: not inside comments, protected tags or generated sections.</summary>
internal static class Headings
{
    public static List<Heading> Find(string page, SectionScan scan)
    {
        var hidden = scan.Opaque.Select(o => (o.Start, o.End))
            .Concat(scan.Sections.Select(s => (s.Start, s.End)))
            .OrderBy(r => r.Start)
            .ToList();
        var headings = new List<Heading>();
        var h = 0;
        for (var start = 0; start <= page.Length;)
        {
            var newline = page.IndexOf('\n', start);
            var end = newline < 0 ? page.Length : newline;
            if (end > start && page[start] == '=')
            {
                while (h < hidden.Count && hidden[h].End <= start)
                    h++;
                var inside = h < hidden.Count && hidden[h].Start < start;
                if (!inside && Parse(page.AsSpan(start, end - start)) is var (level, text))
                    headings.Add(new Heading(level, text, start, end));
            }

            if (newline < 0)
                break;
            start = newline + 1;
        }

        return headings;
    }

    private static (int Level, string Text)? Parse(ReadOnlySpan<char> line)
    {
        line = line.TrimEnd(" \t\r");
        var leading = 0;
        while (leading < line.Length && line[leading] == '=')
            leading++;
        var trailing = 0;
        while (trailing < line.Length - leading && line[line.Length - 1 - trailing] == '=')
            trailing++;
        var level = Math.Min(Math.Min(leading, trailing), 6);
        if (level == 0 || line.Length <= 2 * level)
            return null;
        var text = line[level..^level].Trim(" \t").ToString();
        return text.Length == 0 ? null : (level, text);
    }
}
