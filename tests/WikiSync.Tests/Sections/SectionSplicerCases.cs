using WikiSync.Sections;
using WikiSync.Sync;

namespace WikiSync.Tests.Sections;

/// <summary>One row of the splicer table: a page, the sections to splice, and what must come out.</summary>
public sealed record SpliceCase(
    string Page,
    SectionContent[] Sections,
    string? Expected = null,
    string[]? Changed = null,
    string[]? Added = null,
    string[]? Missing = null,
    (int Line, string Reason)[]? Problems = null,
    SectionLayout? Layout = null);

public static class SectionSplicerCases
{
    private const string B = "<!-- wikisync:begin ";
    private const string E = "<!-- wikisync:end ";

    private static SectionContent S(string name, string text, Placement? placement = null, bool place = true) =>
        new(name, text, placement ?? Placement.End, place);

    /// <summary>The shipped jobs' order: members after instances, sal after members.</summary>
    private static readonly SectionLayout Shipped = new([
        ("instances", Placement.End),
        ("members", new Placement(PlacementKind.AfterSection, "instances")),
        ("sal", new Placement(PlacementKind.AfterSection, "members")),
    ]);

    private static string Block(string name, string text) => $"{B}{name} -->\n{text}\n{E}{name} -->";

    private static SpliceCase Broken(string page, params (int, string)[] problems) =>
        new(page, [S("a", "new")], Expected: page, Problems: problems);

    public static readonly IReadOnlyDictionary<string, SpliceCase> All = new Dictionary<string, SpliceCase>
    {
        // ---- replacing
        ["replaces_text_between_markers"] = new(
            $"intro\n{Block("a", "old")}\noutro", [S("a", "new")], $"intro\n{Block("a", "new")}\noutro", Changed: ["a"]),
        ["same_text_is_no_change"] = new(
            $"intro\n{Block("a", "same")}\noutro", [S("a", "same")], $"intro\n{Block("a", "same")}\noutro"),
        ["trailing_newlines_of_text_are_not_part_of_the_section"] = new(
            $"{Block("a", "same")}", [S("a", "same\n\n")], Block("a", "same")),
        ["empty_text_gives_an_empty_line"] = new(
            $"x\n{B}a -->{E}a -->", [S("a", "")], $"x\n{B}a -->\n\n{E}a -->", Changed: ["a"]),
        ["markers_without_newlines_get_the_canonical_form"] = new(
            $"x {B}a -->old{E}a --> y", [S("a", "new")], $"x {B}a -->\nnew\n{E}a --> y", Changed: ["a"]),
        ["crlf_outside_is_kept"] = new(
            $"intro\r\nline with trailing spaces   \r\n{B}a -->\r\nold\r\n{E}a -->\r\n\ttail  ",
            [S("a", "new")], $"intro\r\nline with trailing spaces   \r\n{Block("a", "new")}\r\n\ttail  ", Changed: ["a"]),
        ["unicode_outside_is_kept"] = new(
            $"Ünïcødé ✓ 日本語 \u200F עברית 🎉\n{Block("a", "old")}\n\u0301combining 🎉 end",
            [S("a", "new ✓")], $"Ünïcødé ✓ 日本語 \u200F עברית 🎉\n{Block("a", "new ✓")}\n\u0301combining 🎉 end", Changed: ["a"]),
        ["no_trailing_newline_is_added"] = new(
            $"{Block("a", "old")}", [S("a", "new")], Block("a", "new"), Changed: ["a"]),
        ["trailing_newlines_of_the_page_are_kept"] = new(
            $"{Block("a", "old")}\n\n\n", [S("a", "new")], $"{Block("a", "new")}\n\n\n", Changed: ["a"]),
        ["tolerates_white_space_inside_markers_and_keeps_it"] = new(
            "<!--wikisync:begin a-->old<!--  \t wikisync:end \t a   -->",
            [S("a", "new")], "<!--wikisync:begin a-->\nnew\n<!--  \t wikisync:end \t a   -->", Changed: ["a"]),
        ["tolerates_line_breaks_inside_markers"] = new(
            "<!--\nwikisync:begin a\n-->old<!--\n  wikisync:end a\n-->",
            [S("a", "new")], "<!--\nwikisync:begin a\n-->\nnew\n<!--\n  wikisync:end a\n-->", Changed: ["a"]),
        ["many_sections_only_changed_ones_listed"] = new(
            $"{Block("a", "1")}\nmiddle\n{Block("b", "2")}\n{Block("c", "3")}",
            [S("a", "1"), S("b", "two"), S("c", "3")], $"{Block("a", "1")}\nmiddle\n{Block("b", "two")}\n{Block("c", "3")}", Changed: ["b"]),
        ["sections_not_asked_for_are_untouched"] = new(
            $"{Block("a", "1")}\n{Block("other", "keep me")}", [S("a", "one")], $"{Block("a", "one")}\n{Block("other", "keep me")}", Changed: ["a"]),
        ["names_with_digits_and_dashes"] = new(
            $"{Block("sal-recent-2", "old")}", [S("sal-recent-2", "new")], Block("sal-recent-2", "new"), Changed: ["sal-recent-2"]),
        ["text_between_sections_with_tables_and_templates_is_kept"] = new(
            $"{{{{Infobox|a=1}}}}\n{{| class=\"wikitable\"\n|-\n| x || y\n|}}\n{Block("a", "old")}\n<nowiki>{{x}}</nowiki>",
            [S("a", "new")], $"{{{{Infobox|a=1}}}}\n{{| class=\"wikitable\"\n|-\n| x || y\n|}}\n{Block("a", "new")}\n<nowiki>{{x}}</nowiki>", Changed: ["a"]),

        // ---- placing
        ["missing_section_goes_to_the_end"] = new(
            "hand written", [S("a", "new")], $"hand written\n{Block("a", "new")}", Added: ["a"]),
        ["missing_section_after_a_final_newline"] = new(
            "hand written\n", [S("a", "new")], $"hand written\n{Block("a", "new")}", Added: ["a"]),
        ["missing_section_on_an_empty_page"] = new(
            "", [S("a", "new")], Block("a", "new"), Added: ["a"]),
        ["missing_section_at_the_start"] = new(
            "hand written", [S("a", "new", new Placement(PlacementKind.Start))], $"{Block("a", "new")}\nhand written", Added: ["a"]),
        ["missing_section_after_another"] = new(
            $"x\n{Block("b", "b")}\ny", [S("a", "new", new Placement(PlacementKind.AfterSection, "b"))],
            $"x\n{Block("b", "b")}\n{Block("a", "new")}\ny", Added: ["a"]),
        ["missing_section_before_another"] = new(
            $"x\n{Block("b", "b")}\ny", [S("a", "new", new Placement(PlacementKind.BeforeSection, "b"))],
            $"x\n{Block("a", "new")}\n{Block("b", "b")}\ny", Added: ["a"]),
        ["after_an_absent_section_means_the_end"] = new(
            "x", [S("a", "new", new Placement(PlacementKind.AfterSection, "nope"))], $"x\n{Block("a", "new")}", Added: ["a"]),
        ["after_a_section_placed_in_the_same_splice"] = new(
            "x", [S("b", "b"), S("a", "a", new Placement(PlacementKind.AfterSection, "b")), S("c", "c", new Placement(PlacementKind.BeforeSection, "b"))],
            $"x\n{Block("c", "c")}\n{Block("b", "b")}\n{Block("a", "a")}", Added: ["b", "a", "c"]),
        ["after_a_new_section_given_later_still_lands_after_it"] = new(
            "x", [S("c", "c", new Placement(PlacementKind.AfterSection, "b")), S("b", "b", new Placement(PlacementKind.AfterSection, "a")), S("a", "a")],
            $"x\n{Block("a", "a")}\n{Block("b", "b")}\n{Block("c", "c")}", Added: ["a", "b", "c"]),
        ["placements_in_a_cycle_keep_the_given_order"] = new(
            "x", [S("a", "a", new Placement(PlacementKind.AfterSection, "b")), S("b", "b", new Placement(PlacementKind.AfterSection, "a"))],
            $"x\n{Block("a", "a")}\n{Block("b", "b")}", Added: ["a", "b"]),
        ["layout_puts_an_end_section_before_a_later_one_already_there"] = new(
            $"x\n{Block("sal", "log")}",
            [S("instances", "i"), S("members", "m", new Placement(PlacementKind.AfterSection, "instances"))],
            $"x\n{Block("instances", "i")}\n{Block("members", "m")}\n{Block("sal", "log")}", Added: ["instances", "members"], Layout: Shipped),
        ["layout_puts_a_section_whose_anchor_is_absent_after_an_earlier_one"] = new(
            $"{Block("instances", "i")}\ny", [S("sal", "log", new Placement(PlacementKind.AfterSection, "members"))],
            $"{Block("instances", "i")}\n{Block("sal", "log")}\ny", Added: ["sal"], Layout: Shipped),
        ["own_anchor_wins_over_the_layout"] = new(
            $"{Block("instances", "i")}\nmid\n{Block("sal", "log")}", [S("members", "m", new Placement(PlacementKind.AfterSection, "instances"))],
            $"{Block("instances", "i")}\n{Block("members", "m")}\nmid\n{Block("sal", "log")}", Added: ["members"], Layout: Shipped),
        ["two_missing_sections_at_the_end_keep_their_order"] = new(
            "x", [S("a", "1"), S("b", "2")], $"x\n{Block("a", "1")}\n{Block("b", "2")}", Added: ["a", "b"]),
        ["under_heading_before_the_next_heading"] = new(
            "== A ==\ntext a\n\n== B ==\ntext b", [S("s", "new", new Placement(PlacementKind.UnderHeading, "A"))],
            $"== A ==\ntext a\n{Block("s", "new")}\n\n== B ==\ntext b", Added: ["s"]),
        ["under_heading_skips_subheadings"] = new(
            "== A ==\nx\n=== A1 ===\ny\n== B ==\nz", [S("s", "new", new Placement(PlacementKind.UnderHeading, "A"))],
            $"== A ==\nx\n=== A1 ===\ny\n{Block("s", "new")}\n== B ==\nz", Added: ["s"]),
        ["under_heading_stops_at_a_higher_level"] = new(
            "== A ==\n=== A1 ===\ny\n= Top =\nz", [S("s", "new", new Placement(PlacementKind.UnderHeading, "A1"))],
            $"== A ==\n=== A1 ===\ny\n{Block("s", "new")}\n= Top =\nz", Added: ["s"]),
        ["under_an_empty_heading_part"] = new(
            "== A ==\n== B ==", [S("s", "new", new Placement(PlacementKind.UnderHeading, "A"))],
            $"== A ==\n{Block("s", "new")}\n== B ==", Added: ["s"]),
        ["under_the_last_heading_means_the_end"] = new(
            "== A ==\nx", [S("s", "new", new Placement(PlacementKind.UnderHeading, "A"))], $"== A ==\nx\n{Block("s", "new")}", Added: ["s"]),
        ["under_heading_with_spaces_and_trailing_blanks"] = new(
            "==  Servers  == \nx\n==B==", [S("s", "new", new Placement(PlacementKind.UnderHeading, "Servers"))],
            $"==  Servers  == \nx\n{Block("s", "new")}\n==B==", Added: ["s"]),
        ["under_an_absent_heading_means_the_end"] = new(
            "== A ==\nx", [S("s", "new", new Placement(PlacementKind.UnderHeading, "Nope"))], $"== A ==\nx\n{Block("s", "new")}", Added: ["s"]),
        ["under_heading_ignores_headings_in_nowiki_and_sections"] = new(
            $"<nowiki>\n== A ==\n</nowiki>\n== A ==\nx\n{Block("g", "== B ==")}\ny\n== B ==",
            [S("s", "new", new Placement(PlacementKind.UnderHeading, "A"))],
            $"<nowiki>\n== A ==\n</nowiki>\n== A ==\nx\n{Block("g", "== B ==")}\ny\n{Block("s", "new")}\n== B ==", Added: ["s"]),
        ["removed_section_is_reported_not_put_back"] = new(
            "hand written", [S("a", "new", place: false)], "hand written", Missing: ["a"]),
        ["removed_and_present_sections_together"] = new(
            $"{Block("b", "old")}", [S("a", "new", place: false), S("b", "new")], Block("b", "new"), Changed: ["b"], Missing: ["a"]),

        // ---- marker look-alikes that are text
        ["marker_in_nowiki_is_text"] = new(
            $"<nowiki>{Block("a", "x")}</nowiki>", [S("a", "new")], $"<nowiki>{Block("a", "x")}</nowiki>\n{Block("a", "new")}", Added: ["a"]),
        ["marker_in_pre_is_text"] = new(
            $"<pre>\n{B}a -->\n</pre>", [S("a", "new")], $"<pre>\n{B}a -->\n</pre>\n{Block("a", "new")}", Added: ["a"]),
        ["marker_in_syntaxhighlight_with_attributes_is_text"] = new(
            $"<syntaxhighlight lang=\"html\">\n{E}a -->\n</syntaxhighlight >", [S("a", "new")],
            $"<syntaxhighlight lang=\"html\">\n{E}a -->\n</syntaxhighlight >\n{Block("a", "new")}", Added: ["a"]),
        ["marker_in_source_and_math_is_text"] = new(
            $"<source>{B}a --></source><math>{E}a --></math>", [S("a", "new")],
            $"<source>{B}a --></source><math>{E}a --></math>\n{Block("a", "new")}", Added: ["a"]),
        ["tag_names_are_case_insensitive"] = new(
            $"<NoWiki>{B}a --></NOWIKI>", [S("a", "new")], $"<NoWiki>{B}a --></NOWIKI>\n{Block("a", "new")}", Added: ["a"]),
        ["marker_inside_another_comment_is_text"] = new(
            $"<!-- {B}a --> -->", [S("a", "new")], $"<!-- {B}a --> -->\n{Block("a", "new")}", Added: ["a"]),
        ["comment_swallowing_a_begin_marker_leaves_a_lone_end"] = Broken($"<!-- note\n{Block("a", "x")}", (4, "end marker without a begin marker")),
        ["marker_text_in_an_unclosed_comment_is_text"] = new(
            $"x\n<!-- note\n{B}a", [S("a", "new", new Placement(PlacementKind.Start))], $"{Block("a", "new")}\nx\n<!-- note\n{B}a", Added: ["a"]),
        ["no_placing_at_the_end_inside_an_unclosed_comment"] = Broken("x\n<!-- unclosed note\ny", (2, "the page ends inside a comment that is never closed")),
        ["marker_text_outside_a_comment_is_text"] = new(
            "wikisync:begin a and wikisync:end a", [S("a", "new")], $"wikisync:begin a and wikisync:end a\n{Block("a", "new")}", Added: ["a"]),
        ["comment_mentioning_wikisync_later_is_text"] = new(
            "<!-- see wikisync:begin a -->", [S("a", "new")], $"<!-- see wikisync:begin a -->\n{Block("a", "new")}", Added: ["a"]),
        ["broken_markers_in_pre_are_no_problem"] = new(
            $"<pre>{B}a --></pre>\n{Block("a", "old")}\n<pre>{E}a --></pre>", [S("a", "new")],
            $"<pre>{B}a --></pre>\n{Block("a", "new")}\n<pre>{E}a --></pre>", Changed: ["a"]),
        ["unclosed_nowiki_is_literal_and_markers_after_it_count"] = new(
            $"<nowiki> oops\n{Block("a", "old")}", [S("a", "new")], $"<nowiki> oops\n{Block("a", "new")}", Changed: ["a"]),
        ["self_closed_nowiki_protects_nothing"] = new(
            $"<nowiki/>{Block("a", "old")}", [S("a", "new")], $"<nowiki/>{Block("a", "new")}", Changed: ["a"]),
        ["tag_name_prefix_is_not_the_tag"] = new(
            $"<nowikix>{Block("a", "old")}</nowikix>", [S("a", "new")], $"<nowikix>{Block("a", "new")}</nowikix>", Changed: ["a"]),
        ["nowiki_in_a_comment_does_not_hide_later_markers"] = new(
            $"<!-- <nowiki> -->{Block("a", "old")}<!-- </nowiki> -->", [S("a", "new")],
            $"<!-- <nowiki> -->{Block("a", "new")}<!-- </nowiki> -->", Changed: ["a"]),
        ["generated_text_may_contain_comments_and_nowiki"] = new(
            $"{Block("a", "old")}", [S("a", "<!-- c --> <nowiki>x</nowiki>")], Block("a", "<!-- c --> <nowiki>x</nowiki>"), Changed: ["a"]),

        // ---- broken markers: page untouched, line and reason
        ["begin_without_end"] = Broken($"x\n{B}a -->\ny", (2, "begin marker without an end marker")),
        ["end_without_begin"] = Broken($"x\ny\n{E}a -->", (3, "end marker without a begin marker")),
        ["end_before_begin"] = Broken($"{E}a -->\n{B}a -->", (1, "end marker comes before its begin marker (line 2)"), (2, "begin marker without an end marker")),
        ["duplicate_section"] = Broken($"{Block("a", "1")}\n\n{Block("a", "2")}", (5, "duplicate section: it already appears at line 1")),
        ["nested_sections"] = Broken($"{B}a -->\n{B}b -->\n{E}b -->\n{E}a -->",
            (2, "begin marker inside section 'a' opened at line 1"), (3, "end marker while section 'a' (opened at line 1) is still open")),
        ["overlapping_sections"] = Broken($"{B}a -->\n{B}b -->\n{E}a -->\n{E}b -->",
            (2, "begin marker inside section 'a'"), (4, "end marker without a begin marker")),
        ["invalid_name_uppercase"] = Broken($"x\n{B}Instances -->\n{E}Instances -->",
            (2, "invalid section name 'Instances'"), (3, "invalid section name 'Instances'")),
        ["invalid_name_underscore"] = Broken($"{B}my_section -->", (1, "invalid section name 'my_section'")),
        ["invalid_name_two_words"] = Broken($"{B}a b -->", (1, "invalid section name 'a b'")),
        ["marker_without_name"] = Broken($"{B} -->", (1, "wikisync:begin marker without a section name")),
        ["unknown_keyword"] = Broken("<!-- wikisync:start a -->", (1, "unknown marker 'wikisync:start'")),
        ["keyword_case_matters"] = Broken("<!-- WikiSync:Begin a -->", (1, "unknown marker 'wikisync:Begin'")),
        ["unclosed_marker_comment"] = Broken($"x\n{B}a", (2, "marker comment is not closed with '-->'")),
        ["generated_text_with_a_marker_is_refused"] = new(
            $"x\n{Block("a", "old")}", [S("a", $"y\n{E}a -->")], Expected: $"x\n{Block("a", "old")}",
            Problems: [(2, "generated text holds a wikisync marker (line 2 of the generated text)")]),
        ["generated_text_with_an_invalid_marker_is_refused"] = new(
            "x", [S("a", "<!-- wikisync:end A -->")], Expected: "x", Problems: [(1, "generated text holds a marker-like comment")]),
        ["generated_text_with_an_unclosed_comment_is_refused"] = new(
            "x", [S("a", "<!-- oops")], Expected: "x", Problems: [(1, "generated text opens a comment it never closes")]),
        ["generated_text_with_an_unclosed_pre_is_refused"] = new(
            $"{Block("a", "old")}\n</pre>", [S("a", "<pre>")], Expected: $"{Block("a", "old")}\n</pre>", Problems: [(1, "never closes")]),
        ["hand_written_tag_around_a_new_section_is_refused"] = new(
            "<nowiki\n", [S("a", "x")], Expected: "<nowiki\n", Problems: [(1, "would not read back as the same sections")]),
        ["generated_text_ending_in_a_tag_start_is_refused"] = new(
            $"{Block("a", "old")}\n</nowiki>", [S("a", "x <nowiki ")], Expected: $"{Block("a", "old")}\n</nowiki>",
            Problems: [(1, "would not read back as the same sections")]),
        ["generated_closing_tag_that_would_close_an_earlier_unclosed_pre_is_refused"] = new(
            $"<pre> never closed\n{Block("a", "old")}", [S("a", "x </pre> y")], Expected: $"<pre> never closed\n{Block("a", "old")}",
            Problems: [(1, "would not read back as the same sections")]),
        ["problem_line_counts_crlf_lines"] = Broken($"x\r\ny\r\n{B}a -->", (3, "begin marker without an end marker")),
    };
}
