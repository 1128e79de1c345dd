using System.Text;
using WikiSync.Sections;

namespace WikiSync.Tests.Sections;

public sealed class SectionSplicerTests
{
    public static TheoryData<string> CaseNames => new(SectionSplicerCases.All.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Splice_case(string name)
    {
        var c = SectionSplicerCases.All[name];

        var result = SectionSplicer.Splice(c.Page, c.Sections, c.Layout);

        var problems = result.Problems.Select(p => (p.Line, p.Reason)).ToList();
        if (c.Problems is { } expected)
        {
            result.Problems.Count.ShouldBe(expected.Length, string.Join("; ", result.Problems));
            for (var i = 0; i < expected.Length; i++)
            {
                result.Problems[i].Line.ShouldBe(expected[i].Line, result.Problems[i].ToString());
                result.Problems[i].Reason.ShouldContain(expected[i].Reason, Case.Sensitive);
            }

            result.Text.ShouldBeSameAs(c.Page);
            result.HasChanges.ShouldBeFalse();
            return;
        }

        problems.ShouldBeEmpty(string.Join("; ", result.Problems));
        result.Text.ShouldBe(c.Expected);
        result.Changed.ShouldBe(c.Changed ?? []);
        result.Added.ShouldBe(c.Added ?? []);
        result.Missing.ShouldBe(c.Missing ?? []);

        var again = SectionSplicer.Splice(result.Text, c.Sections.Select(s => s with { PlaceIfMissing = false }).ToList());
        again.Text.ShouldBe(result.Text);
        again.HasChanges.ShouldBeFalse("a second splice with the same text changes nothing");
    }

    [Fact]
    public void Splice_rejects_an_invalid_section_name_in_the_request()
    {
        Should.Throw<ArgumentException>(() => SectionSplicer.Splice("", [new SectionContent("Bad_Name", "", Placement.End)]))
            .Message.ShouldContain("Bad_Name");
        Should.Throw<ArgumentException>(() => SectionSplicer.Splice("", [new SectionContent("a", "", Placement.End), new SectionContent("a", "", Placement.End)]));
    }

    [Fact]
    public void Scan_lists_sections_with_their_lines_and_content()
    {
        var page = "x\n<!-- wikisync:begin a -->\nA\n<!-- wikisync:end a -->\n<!-- wikisync:begin b --><!-- wikisync:end b -->";

        var scan = SectionSplicer.Scan(page);

        scan.Problems.ShouldBeEmpty();
        scan.Sections.Select(s => (s.Name, s.Line)).ShouldBe([("a", 2), ("b", 5)]);
        scan.Sections[0].Content(page).ShouldBe("\nA\n");
        scan.Sections[1].Content(page).ShouldBe("");
    }

    [Fact]
    public void Block_is_the_form_the_splicer_writes()
    {
        var block = SectionSplicer.Block("members", "* x\n");
        block.ShouldBe("<!-- wikisync:begin members -->\n* x\n<!-- wikisync:end members -->");
        SectionSplicer.Splice(block, [new SectionContent("members", "* x", Placement.End)]).HasChanges.ShouldBeFalse();
    }

    // Hand-written fragments an editor might put around generated sections.
    private static readonly string[] Fragments =
    [
        "plain words", "\n", "\r\n", "   ", "\t", "trailing spaces   \n", "Ünïcødé ✓ 日本語", "עברית \u200F", "🎉🎉", "\u0301",
        "<!-- a comment -->", "<!-- wikisync:note -->".Replace("wikisync:", "wikisync ", StringComparison.Ordinal),
        "<nowiki><!-- wikisync:begin a --></nowiki>", "<pre>\n<!-- wikisync:end b -->\n</pre>",
        "<syntaxhighlight lang=\"xml\"><!-- wikisync:begin c --></syntaxhighlight>", "<!-- <!-- wikisync:end a --> -->",
        "{{Template|x=1}}", "{| class=\"wikitable\"\n|-\n| a || b\n|}", "== Heading ==\n", "* item\n", "[[Link|text]]",
        "&amp; &lt;", "-->", "<", "<!", "<!-", "wikisync:begin a", "~~~~", "__NOTOC__", "\n\n\n", "x",
    ];

    [Fact]
    public void Splice_keeps_every_byte_outside_markers_over_repeated_splices()
    {
        var random = new Random(20261125);
        var names = new[] { "a", "b", "c", "sal-recent" };
        var skipped = 0;
        for (var round = 0; round < 300; round++)
        {
            var present = names.Where(_ => random.Next(3) > 0).ToArray();
            random.Shuffle(present);
            var outside = new List<string>();
            var page = new StringBuilder();
            foreach (var name in present)
            {
                var text = RandomText(random);
                outside.Add(text);
                page.Append(text).Append(SectionSplicer.Block(name, RandomText(random)));
            }

            var tail = RandomText(random);
            outside.Add(tail);
            page.Append(tail);
            var original = page.ToString();
            // Random '<!' + '--' pieces can open a comment that swallows a marker: that is a broken page, not
            // text to keep, and other tests cover it.
            var scanned = SectionSplicer.Scan(original);
            if (scanned.Problems.Count > 0 || !scanned.Sections.Select(s => s.Name).SequenceEqual(present))
            {
                skipped++;
                continue;
            }

            for (var pass = 0; pass < 3; pass++)
            {
                var sections = present.Select(n => new SectionContent(n, RandomText(random, SafeFragments), Placement.End, false)).ToList();
                var first = SectionSplicer.Splice(original, sections);
                first.Problems.ShouldBeEmpty(original);
                Outside(first.Text).ShouldBe(outside, original);
                var second = SectionSplicer.Splice(first.Text, sections);
                second.HasChanges.ShouldBeFalse();
                second.Text.ShouldBe(first.Text);
                original = first.Text;
            }
        }

        skipped.ShouldBeLessThan(100);
    }

    // What a template may produce: no markers, nothing left open.
    private static readonly string[] SafeFragments =
        [.. Fragments.Where(f => !f.Contains("wikisync", StringComparison.Ordinal) && !f.Contains('<', StringComparison.Ordinal))];

    private static string RandomText(Random random, string[]? fragments = null)
    {
        fragments ??= Fragments;
        var sb = new StringBuilder();
        for (var n = random.Next(6); n > 0; n--)
            sb.Append(fragments[random.Next(fragments.Length)]);
        // A lone "<!--" would swallow the next marker, which is a broken page rather than text to keep.
        return sb.ToString().Replace("<!-- a comment -->", "<!-- c -->", StringComparison.Ordinal);
    }

    /// <summary>The page with each section (markers included) cut out: what the splicer must never change.</summary>
    private static List<string> Outside(string page)
    {
        var parts = new List<string>();
        var cursor = 0;
        foreach (var s in SectionSplicer.Scan(page).Sections)
        {
            parts.Add(page[cursor..s.Start]);
            cursor = s.End;
        }

        parts.Add(page[cursor..]);
        return parts;
    }

    [Fact]
    public void Splice_of_a_100_kb_page_with_10_sections_changes_exactly_the_sections_whose_text_differs()
    {
        var random = new Random(1);
        var page = new StringBuilder();
        var sections = new List<SectionContent>();
        for (var s = 0; s < 10; s++)
        {
            while (page.Length < (s + 1) * 10_000)
                page.Append(Fragments[random.Next(Fragments.Length)].Replace("<!-- a comment -->", "<!-- c -->", StringComparison.Ordinal)).Append(' ');
            var name = $"s{s}";
            page.Append('\n').Append(SectionSplicer.Block(name, new string('x', 200))).Append('\n');
            sections.Add(new SectionContent(name, s % 2 == 0 ? new string('y', 300) : new string('x', 200), Placement.End));
        }

        var text = page.ToString();
        var check = SectionSplicer.Splice(text, sections);
        check.Problems.ShouldBeEmpty();
        check.Changed.Count.ShouldBe(5);

        // Its speed is measured by the splice micro benchmark (tests/WikiSync.Benchmarks), not here.
        var again = SectionSplicer.Splice(check.Text, sections);
        again.Problems.ShouldBeEmpty();
        again.Changed.ShouldBeEmpty();
        again.Text.ShouldBe(check.Text);
    }

    // Speed is measured in the benchmarks (SpliceBenchmarks, pathological inputs included), never here.
    [Theory]
    [MemberData(nameof(PathologicalInputs))]
    public void Pathological_input_is_spliced_without_losing_a_byte(string input)
    {
        var result = SectionSplicer.Splice(input, [new SectionContent("a", "x", Placement.End)]);
        if (!result.IsBroken)
            result.Text.ShouldStartWith(input);
    }

    public static TheoryData<string> PathologicalInputs() => [.. PathologicalPages.All];

}
