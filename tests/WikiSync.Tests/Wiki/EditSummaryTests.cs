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
}
