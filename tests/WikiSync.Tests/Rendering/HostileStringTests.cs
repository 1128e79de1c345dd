using System.Net;
using System.Text.RegularExpressions;
using WikiSync.Model;
using WikiSync.Rendering;
using WikiSync.Sections;

namespace WikiSync.Tests.Rendering;

/// <summary>
/// Every hostile string, put into every field of the context, rendered through every shipped template:
/// the output must have the structure the same template gives for a harmless value, and read back from a
/// page as exactly one section.
/// </summary>
public sealed partial class HostileStringTests
{
    private static readonly Lazy<TemplateSet> Templates = new(() => TemplateSet.Load(Repository.Templates));
    private static readonly IReadOnlyList<string> Strings = HostileStrings.Load();

    // Markup an escaped value must never add. Links that sal.message makes on purpose are cut out first.
    private static readonly string[] Tokens =
        ["[[", "]]", "{{", "}}", "[", "]", "{", "}", "|", "!", "<", ">", "'", "\"", "~", "__", "=", ":", "----", "ISBN", "RFC", "PMID", "\u007f"];

    [GeneratedRegex(@"\[https?://[^\s\[\]<>""{}|]+ [^\[\]\n]*\]")]
    private static partial Regex ExternalLink();

    public static TheoryData<string> TemplateNames => new(["instances", "members", "page-skeleton", "project-index", "sal", "sal-archive", "sal-recent"]);

    [Fact]
    public void Corpus_has_at_least_fifty_strings_including_the_long_one()
    {
        Strings.Count.ShouldBeGreaterThanOrEqualTo(50);
        Strings.ShouldContain(s => s.Length >= 5000);
        Strings.ShouldContain("line one\nline two");
        Strings.ShouldContain(" ");
    }

    [Fact]
    public void Escape_output_decodes_to_the_literal_text_and_holds_no_markup_character()
    {
        foreach (var s in Strings)
        {
            var escaped = WikiEscape.Escape(s);
            foreach (var c in "<>[]{}|!'\"=~:\n\r\t")
                escaped.ShouldNotContain(c.ToString(), Case.Sensitive, $"{s} -> {escaped}");
            escaped.ShouldNotContain("__");
            escaped.ShouldNotMatch(@"\b(ISBN|RFC|PMID)\b");
            escaped.ShouldNotMatch(@"^[*#;:\- +]");
            escaped.Any(char.IsControl).ShouldBeFalse(s);
            WebUtility.HtmlDecode(escaped).ShouldBe(Normalized(s), s);
        }
    }

    /// <summary>What a reader must see: the text with line breaks as spaces and control characters gone.</summary>
    private static string Normalized(string s)
    {
        var t = s.Replace("\r\n", " ", StringComparison.Ordinal);
        t = Regex.Replace(t, "[\n\r\t\u2028\u2029\u0085]", " ");
        t = new string([.. t.Where(c => !char.IsControl(c))]);
        return Regex.Replace(t, @"\p{Cs}", m => m.Value).Replace("\uD800 ", "\uFFFD ", StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void Hostile_values_cannot_change_the_structure_of_a_template(string name)
    {
        var template = Templates.Value.Get(name);
        var benign = template.Render(Context("x"));
        var benignLines = benign.Split('\n');
        var benignCounts = Count(benign);

        foreach (var s in Strings)
        {
            var output = template.Render(Context(s));
            var lines = output.Split('\n');
            lines.Length.ShouldBe(benignLines.Length, $"{name}: line count for {s}\n{output}");
            for (var i = 0; i < lines.Length; i++)
                LineKind(lines[i]).ShouldBe(LineKind(benignLines[i]), $"{name}: line {i + 1} for {s}\n{output}");

            var counts = Count(ExternalLink().Replace(output, ""));
            foreach (var token in Tokens)
                counts[token].ShouldBeLessThanOrEqualTo(benignCounts[token], $"{name}: '{token}' for {s}\n{output}");
            foreach (Match link in ExternalLink().Matches(output))
            {
                var url = link.Value[1..link.Value.IndexOf(' ', StringComparison.Ordinal)];
                url.IndexOfAny(['\'', '~', '!', '{', '}', '|', '<', '>', '"']).ShouldBe(-1, url);
                url.ShouldNotContain("__");
            }

            if (name == "page-skeleton")
            {
                var scan = SectionSplicer.Scan(output);
                scan.Problems.ShouldBeEmpty();
                scan.Sections.Select(x => x.Name).ShouldBe(["instances", "members", "sal"]);
                continue;
            }

            var page = "before\n" + SectionSplicer.Block("s", "") + "\nafter";
            var result = SectionSplicer.Splice(page, [new SectionContent("s", output, Placement.End)]);
            result.Problems.ShouldBeEmpty($"{name} for {s}");
            var section = SectionSplicer.Scan(result.Text).Sections.ShouldHaveSingleItem();
            section.Content(result.Text).ShouldBe("\n" + output.TrimEnd('\n', '\r') + "\n");
        }
    }

    /// <summary>What the start of a line makes of it: list, heading, table, pre, rule — or plain text.</summary>
    private static char LineKind(string line) =>
        line.Length == 0 ? '\0' : "*#:;= {|!-".Contains(line[0], StringComparison.Ordinal) ? line[0] : 't';


    private static Dictionary<string, int> Count(string text) =>
        Tokens.ToDictionary(t => t, t => Regex.Matches(text, Regex.Escape(t)).Count);

    private static RenderContext Context(string s)
    {
        var created = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
        var project = new Project(s, s, [new Member(s, s, s)],
            [new Instance(s, s, s, [s], s, s, created, [s, s], new Dictionary<string, string> { ["k"] = s })]);
        var entry = new LogEntry(7, s, s, s, s, new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        return new RenderContext(project, [project], [entry], new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero),
            "Nova Resource:Test", new Dictionary<string, string>
            {
                ["task_pattern"] = @"T\d+",
                ["task_url"] = "https://phabricator.wikimedia.org/{id}",
                ["archives"] = "2026-09",
            });
    }
}
