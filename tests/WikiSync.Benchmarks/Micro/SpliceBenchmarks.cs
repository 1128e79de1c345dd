using System.Text;
using BenchmarkDotNet.Attributes;
using WikiSync.Sections;
using WikiSync.Tests.Sections;

namespace WikiSync.Benchmarks.Micro;

/// <summary>Issue 6 (c): splicing 10 sections into a 100 KB page.</summary>
[MemoryDiagnoser]
public class SpliceBenchmarks
{
    private string _page = "";
    private List<SectionContent> _sections = [];
    private List<SectionContent> _same = [];

    [GlobalSetup]
    public void SetUp()
    {
        var page = new StringBuilder();
        var filler = "Hand-written text with [[links]], {{templates}}, ''italics'' and ünïcödé. ";
        for (var s = 0; s < 10; s++)
        {
            while (page.Length < (s + 1) * 9_000)
                page.Append(filler).Append('\n');
            page.Append("== Part ").Append(s).Append(" ==\n");
            page.Append("<!-- wikisync:begin section-").Append(s).Append(" -->\n");
            page.Append(string.Concat(Enumerable.Repeat("| old cell || old cell\n|-\n", 40)));
            page.Append("<!-- wikisync:end section-").Append(s).Append(" -->\n");
        }
        while (page.Length < 100 * 1024)
            page.Append(filler).Append('\n');
        _page = page.ToString();
        _sections = [.. Enumerable.Range(0, 10).Select(s => new SectionContent($"section-{s}",
            string.Concat(Enumerable.Repeat($"| new cell {s} || new cell\n|-\n", 40)), Placement.End))];
        // The same text as the page holds: the "nothing changed" path.
        var current = SectionSplicer.Splice(_page, _sections).Text;
        _page = current;
        _same = _sections;
        _sections = [.. _sections.Select(s => s with { Text = s.Text.Replace("new", "newer", StringComparison.Ordinal) })];
    }

    [Benchmark(Description = "splice 10 changed sections into a 100 KB page")]
    public SpliceResult SpliceChanged() => SectionSplicer.Splice(_page, _sections);

    [Benchmark(Description = "splice 10 unchanged sections into a 100 KB page")]
    public SpliceResult SpliceUnchanged() => SectionSplicer.Splice(_page, _same);

    /// <summary>Six pages of 100-160 KB built to make a careless scanner quadratic: linear means well under a millisecond a page.</summary>
    [Benchmark(Description = "splice into each of six pathological pages")]
    public int SplicePathological()
    {
        var n = 0;
        foreach (var page in PathologicalPages.All)
            n += SectionSplicer.Splice(page, [new SectionContent("a", "x", Placement.End)]).Problems.Count;
        return n;
    }
}
