using WikiSync.Jobs;
using WikiSync.Model;
using WikiSync.Sections;
using WikiSync.Sync;
using WikiSync.Testing;
using WikiSync.Tests.Support;
using static WikiSync.Tests.Support.Builders;

namespace WikiSync.Tests.Sync;

/// <summary>Issue 15 §2: an edit by someone else inside a generated section is named when replaced, or held (human_edits: keep).</summary>
public sealed class HumanEditTests
{
    private const string Page = "Nova Resource:bots";

    private static RunnerRig Rig(HumanEditPolicy instances = HumanEditPolicy.Replace) => new(
        [Job("instances", "instances", humanEdits: instances), Job("members", "members", placement: new Placement(PlacementKind.AfterSection, "instances"))],
        Project("bots", "Bots", "bots-web-1", "bots-db-1"));

    private static async Task<RunnerRig> SyncedRig(HumanEditPolicy instances = HumanEditPolicy.Replace)
    {
        var rig = Rig(instances);
        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Created);
        return rig;
    }

    /// <summary>The Editor changes a line inside the instances section; returns the revision.</summary>
    private static long EditInsideInstances(RunnerRig rig, string user = "Editor") =>
        rig.Wiki.Save(Page, rig.Wiki.Text(Page)!.Replace("* bots-web-1\n", "* bots-web-1 (our web server, do not touch)\n", StringComparison.Ordinal), user);

    private static void ChangeMembers(RunnerRig rig) =>
        rig.Source.Inventory = new([new Project("bots", "Bots", [new Member("Bob", "user")], Project("bots", "Bots", "bots-web-1", "bots-db-1").Instances)]);

    [Fact]
    public async Task Replace_regenerates_the_section_and_names_the_edit_and_its_user()
    {
        var rig = await SyncedRig();
        var human = EditInsideInstances(rig);

        var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        outcome.Action.ShouldBe(PageAction.Updated);
        outcome.HumanEdits.ShouldHaveSingleItem().ShouldBe(new HumanEdit("instances", "instances", "Editor", human, HumanEditAction.Replaced));
        outcome.ToString().ShouldBe($"updated {Page} (instances; replaced an edit by Editor in r{human} inside section instances)");
        rig.Wiki.Edits[^1].Summary.ShouldBe($"WikiSync: update instances; replaced an edit by Editor in r{human} inside section instances");
        rig.Wiki.Text(Page)!.ShouldNotContain("do not touch");
    }

    [Fact]
    public async Task Replace_is_said_once_the_section_is_ours_again()
    {
        var rig = await SyncedRig();
        EditInsideInstances(rig);
        await rig.RunAsync();
        rig.Wiki.OtherEditRequests.Clear();

        var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        outcome.Action.ShouldBe(PageAction.Unchanged);
        outcome.HumanEdits.ShouldBeEmpty();
        rig.Wiki.OtherEditRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Keep_leaves_the_section_as_the_person_wrote_it_and_still_updates_the_others()
    {
        var rig = await SyncedRig(HumanEditPolicy.Keep);
        var human = EditInsideInstances(rig);
        ChangeMembers(rig);

        var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        outcome.Action.ShouldBe(PageAction.Held);
        outcome.ToString().ShouldBe($"held {Page} (section instances edited by Editor in r{human}; updated members)");
        outcome.HumanEdits.ShouldHaveSingleItem().ShouldBe(new HumanEdit("instances", "instances", "Editor", human, HumanEditAction.Held));
        var text = rig.Wiki.Text(Page)!;
        text.ShouldContain("* bots-web-1 (our web server, do not touch)\n");
        text.ShouldContain("* Bob (user)");
        new SyncReport([outcome], []).AllFine.ShouldBeTrue();
    }

    [Fact]
    public async Task Held_page_is_reported_held_on_the_next_pass_without_reading_it_or_asking_who()
    {
        var rig = await SyncedRig(HumanEditPolicy.Keep);
        var human = EditInsideInstances(rig);
        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Held);
        rig.Wiki.ReadBatches.Clear();
        rig.Wiki.OtherEditRequests.Clear();
        var edits = rig.Wiki.Edits.Count;

        var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        outcome.ToString().ShouldBe($"held {Page} (section instances edited by Editor in r{human})");
        outcome.HumanEdits.ShouldHaveSingleItem().New.ShouldBeFalse();
        rig.Wiki.TitlesRead.ShouldNotContain(Page);
        rig.Wiki.OtherEditRequests.ShouldBeEmpty();
        rig.Wiki.Edits.Count.ShouldBe(edits);
    }

    [Fact]
    public async Task Held_section_is_regenerated_when_its_data_changes_and_the_summary_names_the_edit()
    {
        var rig = await SyncedRig(HumanEditPolicy.Keep);
        var human = EditInsideInstances(rig);
        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Held);
        rig.Source.Inventory = new([Project("bots", "Bots", "bots-web-1", "bots-db-1", "bots-cache-1")]);

        var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        outcome.Action.ShouldBe(PageAction.Updated);
        outcome.HumanEdits.ShouldHaveSingleItem().ShouldBe(new HumanEdit("instances", "instances", "Editor", human, HumanEditAction.Replaced));
        rig.Wiki.Edits[^1].Summary.ShouldContain($"replaced an edit by Editor in r{human} inside section instances");
        rig.Wiki.Text(Page)!.ShouldContain("* bots-cache-1\n");
        rig.Wiki.Text(Page)!.ShouldNotContain("do not touch");
        rig.Written!.Find(Page, "instances")!.Held.ShouldBeNull();
    }

    [Fact]
    public async Task Take_back_regenerates_a_held_section_now()
    {
        var rig = await SyncedRig(HumanEditPolicy.Keep);
        var human = EditInsideInstances(rig);
        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Held);

        var outcome = (await rig.RunAsync(SyncRequest.All with { TakeBack = ["Nova_Resource:bots"] })).Pages.ShouldHaveSingleItem();

        outcome.Action.ShouldBe(PageAction.Updated);
        outcome.HumanEdits.ShouldHaveSingleItem().Action.ShouldBe(HumanEditAction.Replaced);
        rig.Wiki.Edits[^1].Summary.ShouldContain($"replaced an edit by Editor in r{human} inside section instances");
        rig.Wiki.Text(Page)!.ShouldNotContain("do not touch");
        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);
    }

    [Fact]
    public async Task Take_back_of_a_page_no_job_writes_is_a_problem()
    {
        var rig = await SyncedRig(HumanEditPolicy.Keep);

        var report = await rig.RunAsync(SyncRequest.All with { TakeBack = ["Nova Resource:nothing"] });

        report.BrokenJobs.ShouldHaveSingleItem().Reason.ShouldContain("--take-back \"Nova Resource:nothing\": no job of this pass writes that page");
        report.AllFine.ShouldBeFalse();
    }

    [Fact]
    public async Task An_edit_inside_the_section_saved_between_our_read_and_our_save_is_named_too()
    {
        var rig = await SyncedRig(HumanEditPolicy.Keep);
        rig.Source.Inventory = new([Project("bots", "Bots", "bots-web-1", "bots-db-1", "bots-cache-1")]);
        ChangeMembers(rig);
        long human = 0;
        rig.Wiki.BeforeEdit = (_, attempt) =>
        {
            if (attempt == 2)
                human = EditInsideInstances(rig);
            return Task.CompletedTask;
        };

        var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        outcome.Action.ShouldBe(PageAction.Held);
        outcome.HumanEdits.ShouldHaveSingleItem().ShouldBe(new HumanEdit("instances", "instances", "Editor", human, HumanEditAction.Held));
        rig.Wiki.Text(Page)!.ShouldContain("do not touch");
        rig.Wiki.Text(Page)!.ShouldContain("* Bob (user)");
    }

    [Fact]
    public async Task WikiSyncs_own_account_editing_inside_a_section_is_not_a_human_edit()
    {
        var rig = await SyncedRig(HumanEditPolicy.Keep);
        EditInsideInstances(rig, InMemoryWiki.BotUser);

        var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        outcome.Action.ShouldBe(PageAction.Updated);
        outcome.HumanEdits.ShouldBeEmpty();
        rig.Wiki.Edits[^1].Summary.ShouldBe("WikiSync: update instances");
    }

    [Fact]
    public async Task A_human_edit_followed_by_our_own_is_still_found()
    {
        var rig = await SyncedRig();
        var human = EditInsideInstances(rig);
        rig.Wiki.Save(Page, rig.Wiki.Text(Page) + "\n[[Category:Bots]]\n", InMemoryWiki.BotUser);

        var outcome = (await rig.RunAsync()).Pages.ShouldHaveSingleItem();

        outcome.HumanEdits.ShouldHaveSingleItem().Revision.ShouldBe(human);
    }

    [Fact]
    public async Task No_change_pass_asks_the_wiki_nothing_more()
    {
        var rig = await SyncedRig();
        rig.Wiki.ReadBatches.Clear();
        rig.Wiki.InfoBatches.Clear();

        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);

        rig.Wiki.OtherEditRequests.ShouldBeEmpty();
        rig.Wiki.TitlesRead.ShouldBe([rig.ShutoffPage]);
        rig.Wiki.InfoBatches.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_edit_outside_the_sections_asks_nobody_who_made_it()
    {
        var rig = await SyncedRig(HumanEditPolicy.Keep);
        rig.Wiki.Save(Page, "A new introduction.\n" + rig.Wiki.Text(Page));

        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);

        rig.Wiki.OtherEditRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Several_edited_pages_are_asked_in_one_request()
    {
        var rig = new RunnerRig([Job("instances", "instances")], Project("a", "", "a-1"), Project("b", "", "b-1"));
        await rig.RunAsync();
        foreach (var page in new[] { "Nova Resource:a", "Nova Resource:b" })
            rig.Wiki.Save(page, rig.Wiki.Text(page)!.Replace("-1\n", "-1 (mine)\n", StringComparison.Ordinal));

        var report = await rig.RunAsync();

        report.Pages.ShouldAllBe(p => p.HumanEdits.Count == 1);
        rig.Wiki.OtherEditRequests.ShouldHaveSingleItem().Count.ShouldBe(2);
    }

    [Fact]
    public async Task Replaced_edits_and_newly_held_ones_go_to_the_journal_once()
    {
        var rig = await SyncedRig(HumanEditPolicy.Keep);
        var journal = new MemoryEditJournal();
        var runner = new GatedSyncRunner(rig.Runner(), new LocalSyncGate(), journal, rig.Time);
        var human = EditInsideInstances(rig);

        await runner.RunAsync(SyncRequest.All, CancellationToken.None);
        await runner.RunAsync(SyncRequest.All, CancellationToken.None);
        await runner.RunAsync(SyncRequest.All with { TakeBack = [Page] }, CancellationToken.None);

        var events = await journal.HumanEditsAsync(10, CancellationToken.None);
        events.Select(e => (e.Title, e.Section, e.User, e.Revision, e.Action)).ShouldBe([
            (Page, "instances", "Editor", human, HumanEditAction.Replaced),
            (Page, "instances", "Editor", human, HumanEditAction.Held),
        ]);
        (await journal.RecentAsync(10, CancellationToken.None)).Select(e => e.Action).ShouldBe([PageAction.Updated, PageAction.Held]);
    }

    [Fact]
    public async Task Dry_run_says_what_would_be_held_and_writes_nothing()
    {
        var rig = await SyncedRig(HumanEditPolicy.Keep);
        var human = EditInsideInstances(rig);

        var outcome = (await rig.RunAsync(SyncRequest.All with { DryRun = true })).Pages.ShouldHaveSingleItem();

        outcome.ToString().ShouldBe($"held {Page} (section instances edited by Editor in r{human})");
        rig.Written!.Find(Page, "instances")!.Held.ShouldBeNull();
    }
}
