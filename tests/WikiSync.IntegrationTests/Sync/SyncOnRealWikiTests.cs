using System.Text.RegularExpressions;
using WikiSync.IntegrationTests.Support;
using WikiSync.Model;
using WikiSync.Sync;

namespace WikiSync.IntegrationTests.Sync;

/// <summary>The core issue's "tests that show it" for the pipeline, on the real local wiki.</summary>
[Collection(SyncWikiCollection.Name)]
public sealed partial class SyncOnRealWikiTests(LocalWikiFixture wiki)
{
    private static string NewProject() => "sync-test-" + Guid.NewGuid().ToString("N")[..10];

    [GeneratedRegex(@"(<!-- wikisync:begin (?<n>[a-z0-9-]+) -->).*?(<!-- wikisync:end \k<n> -->)", RegexOptions.Singleline)]
    private static partial Regex GeneratedSection();

    /// <summary>The page with every generated section emptied: what no bot revision may change.</summary>
    private static string Outside(string text) => GeneratedSection().Replace(text, "$1$2");

    [Fact]
    public async Task Hand_written_text_is_byte_identical_after_many_syncs()
    {
        var project = NewProject();
        var title = $"Nova Resource:{project}";
        using var editor = await wiki.EditorClientAsync();
        using var bot = await wiki.BotClientAsync();
        const string head = "Ünïcödé — 日本語 intro with trailing spaces   \n<!-- a hand comment -->\n{| class=\"wikitable\"\n|-\n| a || b\n|}\n"
            + "{{Hand template|x=1}}\n<nowiki>[[not a link]] <!-- wikisync:begin instances --></nowiki>\n";
        const string middle = "\n<pre>\n<!-- wikisync:begin members -->\n<!-- wikisync:end instances -->\n</pre>\nMiddle text\t \n";
        const string tail = "\nTail text ✓";
        await editor.EditAsync(title, head + "<!-- wikisync:begin instances -->\nold\n<!-- wikisync:end instances -->" + middle
            + "<!-- wikisync:begin members -->\nold\n<!-- wikisync:end members -->" + tail + "\n\n");

        var rig = new RealWikiRig(wiki.BotSite());
        for (var i = 0; i < 5; i++)
        {
            rig.Inventory = new Inventory([RealWikiRig.Project(project, Enumerable.Range(0, i + 1).Select(n => $"vm-{n}").ToArray())]);
            var report = await rig.RunAsync();
            report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Updated, report.Pages[0].ToString());
        }

        var history = await editor.HistoryAsync(title);
        history.Count.ShouldBe(6);
        foreach (var revision in history.Skip(1))
        {
            revision.Text.ShouldStartWith(head + "<!-- wikisync:begin instances -->\n");
            revision.Text.ShouldContain("\n<!-- wikisync:end instances -->" + middle + "<!-- wikisync:begin members -->\n");
            revision.Text.ShouldEndWith("\n<!-- wikisync:end members -->" + tail);
        }
        history[^1].Text.ShouldContain("| vm-4 || ACTIVE");
    }

    [Fact]
    public async Task Second_sync_without_data_change_makes_zero_edits()
    {
        var project = NewProject();
        var title = $"Nova Resource:{project}";
        using var bot = await wiki.BotClientAsync();
        var rig = new RealWikiRig(wiki.BotSite()) { Inventory = new Inventory([RealWikiRig.Project(project, "vm-1", "vm-2")]) };

        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Created);
        var revisions = (await bot.HistoryAsync(title)).Count;
        var second = await rig.RunAsync();

        second.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);
        (await bot.HistoryAsync(title)).Count.ShouldBe(revisions);
        revisions.ShouldBe(1);
    }

    [Fact]
    public async Task Overlapping_edit_by_a_second_user_is_retried_and_both_changes_kept()
    {
        var project = NewProject();
        var title = $"Nova Resource:{project}";
        using var editor = await wiki.EditorClientAsync();
        using var bot = await wiki.BotClientAsync();
        await editor.EditAsync(title, "Intro\n<!-- wikisync:begin instances -->\nold\n<!-- wikisync:end instances -->\nOutro");
        var site = new InterleavingWikiSite(wiki.BotSite(), async (request, attempt) =>
        {
            if (attempt != 1)
                return;
            // The lines right around the bot's change, so MediaWiki cannot merge the two edits by itself.
            var (text, _, _) = await editor.ReadAsync(title);
            await editor.EditAsync(title, text!.Replace("Intro\n<!-- wikisync:begin instances -->\nold\n<!-- wikisync:end instances -->",
                "Intro changed by Editor\n<!-- wikisync:begin instances -->\nold, touched by Editor\n<!-- wikisync:end instances --> hand note", StringComparison.Ordinal));
        });
        var rig = new RealWikiRig(site) { Inventory = new Inventory([RealWikiRig.Project(project, "vm-1")]) };

        var report = await rig.RunAsync(RealWikiRig.Instances);

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Updated, report.Pages[0].ToString());
        var history = await editor.HistoryAsync(title);
        site.EditAttempts.ShouldBe(2, string.Join("\n----\n", history.Select(h => $"{h.Id} {h.User} {h.Comment}\n{h.Text}")));
        var final = history[^1];
        final.User.ShouldBe("WikiSyncBot");
        final.Text.ShouldStartWith("Intro changed by Editor\n<!-- wikisync:begin instances -->\n");
        final.Text.ShouldContain("| vm-1 || ACTIVE");
        final.Text.ShouldContain("<!-- wikisync:end instances --> hand note\nOutro");
        final.Text.ShouldNotContain("touched by Editor");
        for (var i = 1; i < history.Count; i++)
        {
            if (history[i].User == "WikiSyncBot")
                Outside(history[i].Text).ShouldBe(Outside(history[i - 1].Text), $"revision {history[i].Id} by the bot changed text outside its markers");
        }
    }
}
