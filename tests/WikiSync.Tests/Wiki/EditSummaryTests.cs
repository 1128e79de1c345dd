using WikiSync.Wiki;

namespace WikiSync.Tests.Wiki;

public sealed class EditSummaryTests
{
    [Fact]
    public void A_short_summary_is_kept_as_it_is() => EditSummary.Truncate("Updated instances").ShouldBe("Updated instances");

    [Fact]
    public void A_summary_of_exactly_500_code_points_is_kept() => EditSummary.Truncate(new string('a', 500)).Length.ShouldBe(500);

    [Fact]
    public void A_long_summary_is_cut_to_500_code_points_ending_in_an_ellipsis()
    {
        var cut = EditSummary.Truncate(new string('a', 501));

        cut.Length.ShouldBe(500);
        cut.ShouldEndWith("…");
    }

    [Fact]
    public void Cutting_never_splits_a_character_outside_the_basic_plane()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 600));

        var cut = EditSummary.Truncate(emoji);

        cut.EnumerateRunes().Count().ShouldBe(500);
        cut.ShouldEndWith("😀…");
    }

    [Fact]
    public void A_tail_is_kept_whole_and_the_summary_before_it_is_cut()
    {
        var cut = EditSummary.Truncate(new string('x', 600), " (alice)");

        EditSummary.CodePoints(cut).ShouldBe(500);
        cut.ShouldEndWith("x… (alice)");
    }

    [Fact]
    public void Characters_outside_the_basic_plane_count_once_as_mediawiki_counts_them()
    {
        // 400 emoji are 800 UTF-16 units but 400 characters for MediaWiki: nothing to cut.
        var emoji = string.Concat(Enumerable.Repeat("😀", 400));

        EditSummary.Truncate(emoji, " (alice)").ShouldBe(emoji + " (alice)");
    }
}
