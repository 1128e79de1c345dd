using System.Text.Json;
using System.Text.Json.Nodes;
using WikiSync.Sections;
using WikiSync.Tests.Rendering;

namespace WikiSync.Tests.Sections;

/// <summary>
/// The MediaWiki extension (src/mediawiki/WikiSync) must see exactly the sections and broken markers the
/// service sees, or its guard would warn about text the service never touches. Every page of the splicer's
/// table, and a few more edges, is scanned here and written down in tests/mediawiki/marker-cases.json;
/// tests/mediawiki/run.php checks the PHP scanner against the same file. WIKISYNC_UPDATE_GOLDEN=1 rewrites it.
/// </summary>
public sealed class MarkerParityTests
{
    private static string GoldenPath => Path.Combine(Repository.Root, "tests", "mediawiki", "marker-cases.json");

    /// <summary>Edges the splicer's table does not need but a second implementation could get wrong.</summary>
    private static readonly (string Name, string Page)[] Extra =
    [
        ("tag_name_ended_by_a_no_break_space_is_a_tag", "<nowiki\u00A0><!-- wikisync:begin a -->\nx\n<!-- wikisync:end a --></nowiki>"),
        ("tag_name_ended_by_an_ideographic_space_is_a_tag", "<pre\u3000><!-- wikisync:begin a -->\nx\n<!-- wikisync:end a --></pre>"),
        ("closing_tag_may_hold_white_space", "<pre><!-- wikisync:begin a --></pre \n>\n<!-- wikisync:begin b -->\ny\n<!-- wikisync:end b -->"),
        ("marker_keyword_is_case_sensitive", "<!-- wikisync:BEGIN a -->\nx\n<!-- wikisync:end a -->"),
        ("prefix_is_case_insensitive", "<!-- WikiSync:begin a -->\nx\n<!-- wikisync:end a -->"),
        ("uppercase_name_is_invalid", "<!-- wikisync:begin A -->\nx\n<!-- wikisync:end A -->"),
        ("tab_and_newline_inside_markers", "<!--\twikisync:begin\n a\t-->\nx\n<!--wikisync:end a-->"),
        ("unclosed_marker_comment", "text\n<!-- wikisync:begin a -->\nx\n<!-- wikisync:end a"),
        ("self_closed_protected_tag_hides_nothing", "<nowiki/><!-- wikisync:begin a -->\nx\n<!-- wikisync:end a -->"),
        ("unclosed_tag_is_text", "<pre>\n<!-- wikisync:begin a -->\nx\n<!-- wikisync:end a -->"),
        ("comment_inside_unrelated_tag_counts", "<div><!-- wikisync:begin a -->\nx\n<!-- wikisync:end a --></div>"),
        ("ref_hides_markers", "<ref name=x><!-- wikisync:begin a --></ref>\n<!-- wikisync:end a -->"),
        ("multibyte_text_around_sections", "Ünïcødé ✓ 日本語 🎉\n<!-- wikisync:begin a -->\nnew ✓ 🎉\n<!-- wikisync:end a -->\n🎉 end"),
        ("no_gt_after_a_tag_name", "<pre <nowiki"),
        ("empty_page", ""),
    ];

    [Fact]
    public void Scan_results_match_the_file_the_extension_is_tested_against()
    {
        var cases = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, c) in SectionSplicerCases.All.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (seen.Add(c.Page))
                cases.Add(Describe(name, c.Page));
        }

        foreach (var (name, page) in Extra)
        {
            if (seen.Add(page))
                cases.Add(Describe(name, page));
        }

        var actual = cases.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable("WIKISYNC_UPDATE_GOLDEN") == "1")
            File.WriteAllText(GoldenPath, actual);
        actual.ShouldBe(File.ReadAllText(GoldenPath), "run with WIKISYNC_UPDATE_GOLDEN=1, then check tests/mediawiki/run.php still passes");
    }

    private static JsonObject Describe(string name, string page)
    {
        var scan = SectionSplicer.Scan(page);
        var sections = new JsonArray();
        foreach (var s in scan.Sections)
            sections.Add(new JsonObject { ["name"] = s.Name, ["line"] = s.Line, ["content"] = s.Content(page) });
        var problems = new JsonArray();
        foreach (var p in scan.Problems.OrderBy(p => p.Line).ThenBy(p => p.Section, StringComparer.Ordinal).ThenBy(p => p.Reason, StringComparer.Ordinal))
            problems.Add(new JsonObject { ["line"] = p.Line, ["name"] = p.Section, ["reason"] = p.Reason });
        return new JsonObject { ["case"] = name, ["page"] = page, ["sections"] = sections, ["problems"] = problems };
    }
}
