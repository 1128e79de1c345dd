using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Harness;

public sealed class HistoryCheckerTests
{
    private const string Page = "Intro ünï\n<!-- wikisync:begin instances -->\nold\n<!-- wikisync:end instances -->\nOutro  \n";

    [Fact]
    public void A_change_inside_markers_is_allowed() =>
        HistoryChecker.Compare(Page, Page.Replace("old", "new table", StringComparison.Ordinal)).ShouldBeNull();

    [Fact]
    public void A_change_of_one_byte_outside_is_a_violation() =>
        HistoryChecker.Compare(Page, Page.Replace("Outro  ", "Outro ", StringComparison.Ordinal)).ShouldNotBeNull().ShouldContain("differs");

    [Fact]
    public void An_added_section_may_bring_white_space_only()
    {
        var added = Page + "\n<!-- wikisync:begin members -->\n* A\n<!-- wikisync:end members -->\n";
        HistoryChecker.Compare(Page, added).ShouldBeNull();
        HistoryChecker.Compare(Page, added.Replace("Intro", "intro", StringComparison.Ordinal)).ShouldNotBeNull();
    }

    [Fact]
    public void Removing_a_section_is_a_violation() =>
        HistoryChecker.Compare(Page, "Intro ünï\nOutro  \n").ShouldNotBeNull().ShouldContain("removed");

    [Fact]
    public void Editing_a_page_with_broken_markers_is_a_violation()
    {
        var broken = Page.Replace("<!-- wikisync:end instances -->", "", StringComparison.Ordinal);
        HistoryChecker.Compare(broken, broken + "x").ShouldNotBeNull().ShouldContain("broken");
        HistoryChecker.Compare(broken, broken).ShouldBeNull();
    }

    [Theory]
    [InlineData("<nowiki><!-- wikisync:begin x --></nowiki>")]
    [InlineData("<pre>\n<!-- wikisync:end x -->\n</pre>")]
    [InlineData("<!-- note <!-- wikisync:begin x --> -->")]
    [InlineData("<syntaxhighlight lang=\"html\"><!-- wikisync:begin x --></syntaxhighlight>")]
    public void Marker_look_alikes_are_text(string text)
    {
        var scan = MarkerScan.Of(text + "\n" + Page);
        scan.IsBroken.ShouldBeFalse();
        scan.Names.ShouldBe(["instances"]);
    }

    [Theory]
    [InlineData("<!-- wikisync:begin a -->\n<!-- wikisync:begin b -->\n<!-- wikisync:end b -->\n<!-- wikisync:end a -->", "inside")]
    [InlineData("<!-- wikisync:end a -->\n<!-- wikisync:begin a -->", "before its begin")]
    [InlineData("<!-- wikisync:begin a -->\n<!-- wikisync:end a -->\n<!-- wikisync:begin a -->\n<!-- wikisync:end a -->", "duplicate")]
    public void Broken_markers_are_named(string text, string reason) =>
        MarkerScan.Of(text).Problem.ShouldNotBeNull().ShouldContain(reason);
}
