using WikiSync.Sections;
using WikiSync.Sync;
using WikiSync.Testing;
using WikiSync.Tests.Support;
using static WikiSync.Tests.Support.Builders;

namespace WikiSync.Tests.Sync;

/// <summary>
/// Issue 12 §7: a page verified current whose sections' inputs (template text, the data the template reads,
/// the build) are the ones it was verified with is known current without rendering it.
/// </summary>
public sealed class RenderInputsTests
{
    private const string Page = "Nova Resource:bots";

    private static RunnerRig Rig() => new(
        [Job("instances", "instances"), Job("members", "members", placement: new Placement(PlacementKind.AfterSection, "instances"))],
        Project("bots", "Bots", "bots-web-1", "bots-db-1"));

    private static async Task<RunnerRig> SyncedRig()
    {
        var rig = Rig();
        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Created);
        rig.Wiki.ReadBatches.Clear();
        return rig;
    }

    private static InMemoryPageVerifications Verifications(RunnerRig rig) => (InMemoryPageVerifications)rig.Verifications!;

    [Fact]
    public async Task Verified_page_with_the_same_inputs_is_current_without_rendering()
    {
        var rig = await SyncedRig();

        var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        outcome.Action.ShouldBe(PageAction.Unchanged);
        outcome.Sections.ShouldBe(["instances", "members"]);
        rig.Counting!.Renders.ShouldBe(0);
        rig.Wiki.TitlesRead.ShouldNotContain(Page);
    }

    [Fact]
    public async Task First_pass_keeps_the_inputs_beside_the_verification()
    {
        var rig = await SyncedRig();

        Verifications(rig).All.ShouldHaveSingleItem().InputsHash.Length.ShouldBe(64);
    }

    [Fact]
    public async Task Changed_data_renders_the_page_and_saves_it()
    {
        var rig = await SyncedRig();
        rig.Source.Inventory = new([Project("bots", "Bots", "bots-web-1")]);

        var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        outcome.Action.ShouldBe(PageAction.Updated);
        rig.Counting!.Renders.ShouldBe(2);
        rig.Wiki.Text(Page)!.ShouldNotContain("bots-db-1");
    }

    [Fact]
    public async Task Changed_template_renders_the_page_once_then_no_more_when_the_text_is_the_same()
    {
        var rig = await SyncedRig();
        rig.TemplateTexts["instances"] = "{{## reworded, renders the same ##}}" + rig.TemplateTexts["instances"];

        var changed = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();
        var renders = rig.Counting!.Renders;
        var after = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        changed.Action.ShouldBe(PageAction.Unchanged);
        renders.ShouldBe(2);
        after.Action.ShouldBe(PageAction.Unchanged);
        rig.Counting!.Renders.ShouldBe(0);
        rig.Wiki.Edits.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Changed_template_output_is_rendered_and_saved()
    {
        var rig = await SyncedRig();
        rig.TemplateTexts["members"] = "{{ for m in project.members }}# {{ m.user }}\n{{ end }}";

        var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        outcome.Action.ShouldBe(PageAction.Updated);
        outcome.Sections.ShouldBe(["members"]);
        rig.Wiki.Text(Page)!.ShouldContain("# Alice");
    }

    [Fact]
    public async Task Verification_made_by_another_build_renders_the_page_once()
    {
        // An upgrade changes the build part of every fingerprint: what the old build kept no longer matches.
        var rig = await SyncedRig();
        var row = Verifications(rig).All.ShouldHaveSingleItem();
        await Verifications(rig).RecordAsync([row with { InputsHash = new string('0', 64) }], CancellationToken.None);

        var upgraded = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();
        var renders = rig.Counting!.Renders;
        var next = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        upgraded.Action.ShouldBe(PageAction.Unchanged);
        renders.ShouldBe(2);
        Verifications(rig).All.ShouldHaveSingleItem().InputsHash.ShouldBe(row.InputsHash);
        next.Action.ShouldBe(PageAction.Unchanged);
        rig.Counting!.Renders.ShouldBe(0);
        rig.Wiki.TitlesRead.ShouldNotContain(Page);
    }

    [Fact]
    public async Task Page_edited_by_someone_is_rendered_read_and_repaired()
    {
        var rig = await SyncedRig();
        var text = rig.Wiki.Text(Page)!;
        rig.Wiki.Save(Page, text.Replace("* bots-db-1", "* vandalised", StringComparison.Ordinal));

        var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        outcome.Action.ShouldBe(PageAction.Updated);
        rig.Counting!.Renders.ShouldBe(2);
        rig.Wiki.Text(Page).ShouldBe(text);
    }

    [Fact]
    public async Task Template_reading_the_clock_is_rendered_again_when_the_clock_moved()
    {
        var rig = Rig();
        rig.TemplateTexts["members"] = "{{ for m in project.members }}* {{ m.user }} ({{ m.role }})\n{{ end }}{{ if now.year < 2000 }}old{{ end }}";
        await rig.RunAsync();
        rig.Time.Advance(TimeSpan.FromMinutes(1));

        var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        outcome.Action.ShouldBe(PageAction.Unchanged);
        rig.Counting!.Renders.ShouldBe(2);
    }

    [Fact]
    public async Task Section_missing_from_the_written_store_is_rendered_and_noted()
    {
        var rig = await SyncedRig();
        rig.Written = new InMemoryWrittenSections();

        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);

        rig.Counting!.Renders.ShouldBe(2);
        (await rig.Written.FindAsync([Page], CancellationToken.None)).Select(r => r.Section).Order().ShouldBe(["instances", "members"]);
    }
}
