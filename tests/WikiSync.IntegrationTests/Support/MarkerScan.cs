using System.Text;
using System.Text.RegularExpressions;

namespace WikiSync.IntegrationTests.Support;

/// <summary>One generated section found in a page: the whole block from its begin marker to its end marker.</summary>
public sealed record MarkerBlock(string Name, int Start, int End);

/// <summary>
/// The sections of a page, or why its markers are broken. The test suite's own reading of the marker
/// syntax, independent of the splicer it checks: markers inside comments, nowiki, pre and
/// syntaxhighlight are text.
/// </summary>
public sealed partial record MarkerScan(IReadOnlyList<MarkerBlock> Blocks, string? Problem)
{
    public bool IsBroken => Problem is not null;

    public IReadOnlyCollection<string> Names => [.. Blocks.Select(b => b.Name)];

    [GeneratedRegex(@"\G<!--\s*wikisync:(begin|end)\s+([a-z0-9-]+)\s*-->")]
    private static partial Regex Marker();

    [GeneratedRegex(@"\G<(nowiki|pre|syntaxhighlight|source)(\s[^>]*)?>", RegexOptions.IgnoreCase)]
    private static partial Regex OpeningTag();

    public static MarkerScan Of(string text)
    {
        var blocks = new List<MarkerBlock>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? open = null;
        var openAt = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '<')
            {
                i++;
                continue;
            }
            if (Marker().Match(text, i) is { Success: true } marker)
            {
                var name = marker.Groups[2].Value;
                var line = Line(text, i);
                if (marker.Groups[1].Value == "begin")
                {
                    if (open is not null)
                        return new([], $"line {line}: begin of '{name}' inside '{open}'");
                    if (!seen.Add(name))
                        return new([], $"line {line}: section '{name}' appears twice");
                    open = name;
                    openAt = i;
                }
                else
                {
                    if (open != name)
                        return new([], $"line {line}: end of '{name}' without its begin");
                    blocks.Add(new MarkerBlock(name, openAt, i + marker.Length));
                    open = null;
                }
                i += marker.Length;
                continue;
            }
            if (string.CompareOrdinal(text, i, "<!--", 0, 4) == 0)
            {
                var close = text.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = close < 0 ? text.Length : close + 3;
                continue;
            }
            if (OpeningTag().Match(text, i) is { Success: true } tag)
            {
                var close = text.IndexOf($"</{tag.Groups[1].Value}", i + tag.Length, StringComparison.OrdinalIgnoreCase);
                i = close < 0 ? text.Length : close;
                if (close >= 0)
                    i = text.IndexOf('>', close) is var gt and >= 0 ? gt + 1 : text.Length;
                continue;
            }
            i++;
        }
        return open is null ? new(blocks, null) : new([], $"line {Line(text, openAt)}: begin of '{open}' without its end");
    }

    /// <summary>The page with each generated block (markers included) replaced by a placeholder naming it.</summary>
    public string Outside(string text, ISet<string>? drop = null)
    {
        var result = new StringBuilder(text.Length);
        var at = 0;
        foreach (var block in Blocks)
        {
            result.Append(text, at, block.Start - at);
            result.Append(drop is not null && drop.Contains(block.Name) ? "\u0002" : $"\u0001{block.Name}\u0001");
            at = block.End;
        }
        result.Append(text, at, text.Length - at);
        return result.ToString();
    }

    private static int Line(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;
}
