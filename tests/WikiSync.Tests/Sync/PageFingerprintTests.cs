using WikiSync.Sections;
using WikiSync.Sync;

namespace WikiSync.Tests.Sync;

public sealed class PageFingerprintTests
{
    private static PagePlan Plan(params PlannedSection[] sections)
    {
        var plan = new PagePlan("Nova Resource:bots");
        plan.Sections.AddRange(sections);
        return plan;
    }

    [Fact]
    public void Same_sections_hash_the_same_and_any_difference_changes_the_hash()
    {
        var baseline = PageFingerprint.Hash(Plan(new PlannedSection("instances", "instances", "* a\n", Placement.End), new PlannedSection("members", "members", "* b\n", Placement.End)));

        PageFingerprint.Hash(Plan(new PlannedSection("instances", "instances", "* a\n", Placement.End), new PlannedSection("members", "members", "* b\n", Placement.End))).ShouldBe(baseline);
        string[] others =
        [
            PageFingerprint.Hash(Plan(new PlannedSection("instances", "instances", "* a\n", Placement.End), new PlannedSection("members", "members", "* c\n", Placement.End))),
            PageFingerprint.Hash(Plan(new PlannedSection("instances", "instances", "* a\n", Placement.End), new PlannedSection("members", "members", "* b\n", new Placement(PlacementKind.AfterSection, "instances")))),
            PageFingerprint.Hash(Plan(new PlannedSection("members", "members", "* b\n", Placement.End), new PlannedSection("instances", "instances", "* a\n", Placement.End))),
            PageFingerprint.Hash(Plan(new PlannedSection("instances", "instances", "* a\n* b\n", Placement.End))),
            // Field boundaries count: the text moved from one section to the next is another page.
            PageFingerprint.Hash(Plan(new PlannedSection("instances", "instances", "* a\n* b", Placement.End), new PlannedSection("members", "members", "\n", Placement.End))),
        ];
        others.ShouldAllBe(h => h != baseline);
        others.Distinct().Count().ShouldBe(others.Length);
    }

    [Fact]
    public void Section_set_names_the_sections_in_plan_order()
    {
        PageFingerprint.SectionSet(Plan(new PlannedSection("instances", "instances", "", Placement.End), new PlannedSection("sal-recent", "sal", "", Placement.End)))
            .ShouldBe("instances,sal");
    }
}
