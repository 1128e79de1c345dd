using System.Text;
using WikiSync.Sections;

namespace WikiSync.IntegrationTests.Support;

/// <summary>One generated section found in a page: the whole block from its begin marker to its end marker.</summary>
public sealed record MarkerBlock(string Name, int Start, int End);

/// <summary>
/// The sections of a page, or why its markers are broken, as WikiSync's own splicer reads them
/// (<see cref="SectionSplicer.Scan"/>): markers inside comments, nowiki, pre and syntaxhighlight are text.
/// </summary>
public sealed record MarkerScan(IReadOnlyList<MarkerBlock> Blocks, string? Problem)
{
    public bool IsBroken => Problem is not null;

    public IReadOnlyCollection<string> Names => [.. Blocks.Select(b => b.Name)];

    public static MarkerScan Of(string text)
    {
        var scan = SectionSplicer.Scan(text);
        return scan.Problems.Count > 0
            ? new([], string.Join("; ", scan.Problems))
            : new([.. scan.Sections.Select(s => new MarkerBlock(s.Name, s.Start, s.End))], null);
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
}
