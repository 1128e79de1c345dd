using WikiSync.IntegrationTests.Support;
using WikiSync.Model;
using WikiSync.Sync;

namespace WikiSync.IntegrationTests.Sync;

/// <summary>Issue 12 §6 on the real local wiki: values the wiki normalizes, and names that land on one page.</summary>
[Collection(SyncWikiCollection.Name)]
public sealed class PassSafetyOnRealWikiTests(LocalWikiFixture wiki)
{
    private static string NewProject() => "safety-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task A_value_not_in_nfc_is_saved_once_and_the_next_pass_finds_the_page_unchanged()
    {
        var project = NewProject();
        var rig = new RealWikiRig(wiki.BotSite())
        {
            // A decomposed é and a Greek question mark (NFC: ';'): MediaWiki stores both normalized.
            Inventory = new Inventory([RealWikiRig.Project(project, "cafe\u0301-1", "\u037E-2")]),
        };

        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Created);
        var second = await rig.RunAsync();

        second.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged, second.Pages[0].ToString());
        using var editor = await wiki.EditorClientAsync();
        var history = await editor.HistoryAsync($"Nova Resource:{project}");
        history.Count.ShouldBe(1);
        history[0].Text.ShouldContain("caf\u00E9-1");
        // Escaped as the ';' it became, so no definition list opens in the table cell's line.
        history[0].Text.ShouldNotContain("\n| ;");
    }

    [Fact]
    public async Task Two_project_names_for_one_page_write_nothing_and_both_are_reported_on_every_pass()
    {
        var project = NewProject();
        var rig = new RealWikiRig(wiki.BotSite())
        {
            Inventory = new Inventory([RealWikiRig.Project(project, "vm-a"), RealWikiRig.Project(char.ToUpperInvariant(project[0]) + project[1..], "vm-b")]),
        };

        for (var pass = 0; pass < 2; pass++)
        {
            var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();
            outcome.Action.ShouldBe(PageAction.Failed);
            outcome.Reason.ShouldNotBeNull().ShouldContain($"project {project}");
        }
        using var editor = await wiki.EditorClientAsync();
        (await editor.HistoryAsync($"Nova Resource:{project}")).ShouldBeEmpty();
    }
}
