using WikiSync.Sections;
using WikiSync.Sync;
using WikiSync.Testing;
using WikiSync.Tests.Support;
using static WikiSync.Tests.Support.Builders;

namespace WikiSync.Tests.Sync;

/// <summary>Issue 6: a page verified on the last pass, unchanged since and rendered the same, is not read again.</summary>
public sealed class SyncRunnerVerificationTests
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
        rig.Wiki.InfoBatches.Clear();
        return rig;
    }

    [Fact]
    public async Task Page_unchanged_since_our_save_is_asked_only_its_latest_revision()
    {
        var rig = await SyncedRig();
        var saved = rig.Wiki.History(Page)[^1].Id;

        var report = await rig.RunAsync();

        var outcome = report.Pages.ShouldHaveSingleItem();
        outcome.Action.ShouldBe(PageAction.Unchanged);
        outcome.RevisionId.ShouldBe(saved);
        outcome.Sections.ShouldBe(["instances", "members"]);
        rig.Wiki.InfoBatches.ShouldHaveSingleItem().ShouldBe([Page]);
        rig.Wiki.TitlesRead.ShouldBe([rig.ShutoffPage]);
        rig.Wiki.EditAttempts.ShouldBe(1);
    }

    [Fact]
    public async Task Page_read_and_found_current_is_not_read_on_the_next_pass()
    {
        var rig = Rig();
        rig.Wiki.Save(Page, "intro\n<!-- wikisync:begin instances -->\n* bots-web-1\n* bots-db-1\n<!-- wikisync:end instances -->\n"
            + "<!-- wikisync:begin members -->\n* Alice (projectadmin)\n<!-- wikisync:end members -->\n");
        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);
        rig.Wiki.TitlesRead.ShouldContain(Page);
        rig.Wiki.ReadBatches.Clear();

        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);

        rig.Wiki.TitlesRead.ShouldNotContain(Page);
        rig.Wiki.Edits.ShouldBeEmpty();
    }

    [Fact]
    public async Task Person_who_edited_inside_a_section_since_our_save_gets_it_repaired()
    {
        var rig = await SyncedRig();
        var text = rig.Wiki.Text(Page)!;
        rig.Wiki.Save(Page, text.Replace("* bots-db-1", "* vandalised", StringComparison.Ordinal));

        var report = await rig.RunAsync();

        var outcome = report.Pages.ShouldHaveSingleItem();
        outcome.Action.ShouldBe(PageAction.Updated);
        outcome.Sections.ShouldBe(["instances"]);
        rig.Wiki.TitlesRead.ShouldContain(Page);
        rig.Wiki.Text(Page).ShouldBe(text);
    }

    [Fact]
    public async Task Changed_render_reads_the_page_even_on_the_verified_revision()
    {
        var rig = await SyncedRig();
        rig.Source.Inventory = new([Project("bots", "Bots", "bots-web-1")]);

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Updated);
        rig.Wiki.InfoBatches.ShouldBeEmpty();
        rig.Wiki.TitlesRead.ShouldContain(Page);
    }

    [Fact]
    public async Task Deleted_page_is_noticed_and_made_again()
    {
        var rig = await SyncedRig();
        rig.Wiki.Delete(Page);

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Created);
        rig.Wiki.TitlesRead.ShouldContain(Page);
        rig.Wiki.Text(Page)!.ShouldContain("* bots-db-1");
    }

    [Fact]
    public async Task Save_the_wiki_merged_with_someone_elses_edit_is_not_trusted()
    {
        var rig = Rig();
        rig.Wiki.Save(Page, "intro\n");
        rig.Wiki.MergeConflicts = true;
        rig.Wiki.BeforeEdit = (request, attempt) =>
        {
            if (attempt == 1)
                rig.Wiki.Save(Page, "intro by a person\n");
            return Task.CompletedTask;
        };
        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Updated);
        rig.Wiki.ReadBatches.Clear();

        await rig.RunAsync();

        rig.Wiki.TitlesRead.ShouldContain(Page);
    }

    [Fact]
    public async Task Section_an_editor_removed_is_reported_on_every_pass()
    {
        var rig = await SyncedRig();
        var text = rig.Wiki.Text(Page)!;
        var start = text.IndexOf("<!-- wikisync:begin members", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- wikisync:end members -->", StringComparison.Ordinal) + "<!-- wikisync:end members -->".Length;
        rig.Wiki.Save(Page, text[..start] + text[end..]);

        var first = await rig.RunAsync();
        var second = await rig.RunAsync();

        first.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Skipped);
        second.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Skipped);
        second.Pages[0].Reason!.ShouldContain("removed by an editor");
        rig.Wiki.TitlesRead.Count(t => t == Page).ShouldBe(2);
    }

    [Fact]
    public async Task Dry_run_reads_every_page_and_keeps_nothing()
    {
        var rig = Rig();
        var verifications = new InMemoryPageVerifications();
        rig.Verifications = verifications;
        rig.Wiki.Save(Page, "intro\n");
        await rig.RunAsync(new SyncRequest([], [], DryRun: true));
        verifications.All.ShouldBeEmpty();

        await rig.RunAsync();
        rig.Wiki.ReadBatches.Clear();
        var report = await rig.RunAsync(new SyncRequest([], [], DryRun: true));

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);
        rig.Wiki.TitlesRead.ShouldBe([Page]);
        rig.Wiki.InfoBatches.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_run_of_one_job_keeps_its_own_verification_beside_the_full_one()
    {
        var rig = await SyncedRig();
        var instancesOnly = new SyncRequest(["instances"], [], DryRun: false);
        await rig.RunAsync(instancesOnly);
        rig.Wiki.TitlesRead.ShouldContain(Page);
        rig.Wiki.ReadBatches.Clear();

        await rig.RunAsync(instancesOnly);
        await rig.RunAsync();

        rig.Wiki.TitlesRead.ShouldNotContain(Page);
    }

    [Fact]
    public async Task Shutoff_skips_verified_pages_too()
    {
        var rig = await SyncedRig();
        rig.Wiki.Save(rig.ShutoffPage, "stop");

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Skipped);
        report.Pages[0].Reason.ShouldBe("shutoff");
    }

    [Fact]
    public async Task Store_that_fails_means_every_page_is_read()
    {
        var rig = await SyncedRig();
        rig.Verifications = new FailingVerifications();

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);
        rig.Wiki.TitlesRead.ShouldContain(Page);
    }

    [Fact]
    public async Task Without_a_verification_store_every_page_is_read()
    {
        var rig = await SyncedRig();
        rig.Verifications = null;

        await rig.RunAsync();

        rig.Wiki.TitlesRead.ShouldContain(Page);
        rig.Wiki.InfoBatches.ShouldBeEmpty();
    }

    private sealed class FailingVerifications : IPageVerifications
    {
        public Task<IReadOnlyList<PageVerification>> FindAsync(IReadOnlyCollection<string> pages, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the store is gone");

        public Task<DateTimeOffset?> OldestAsync(DateTimeOffset notBefore, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the store is gone");

        public Task RecordAsync(IReadOnlyCollection<PageVerification> verifications, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the store is gone");
    }

    [Fact]
    public async Task Each_pass_logs_in_once_while_it_renders()
    {
        var rig = await SyncedRig();

        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);

        rig.Wiki.SessionsPrepared.ShouldBe(2);
    }

    [Fact]
    public async Task A_refused_login_fails_every_page_with_its_reason_and_is_not_tried_again_in_the_pass()
    {
        var rig = await SyncedRig();
        rig.Wiki.SessionFailure = WikiSync.Wiki.WikiApiException.Login("loginfailed", "The wiki refused the login of \"Bot\".");

        var report = await rig.RunAsync();

        var outcome = report.Pages.ShouldHaveSingleItem();
        outcome.Action.ShouldBe(PageAction.Failed);
        outcome.Reason.ShouldBe("reading the page failed: The wiki refused the login of \"Bot\".");
        rig.Wiki.InfoBatches.ShouldBeEmpty();
        rig.Wiki.ReadBatches.ShouldBeEmpty();
        rig.Wiki.Edits.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_login_that_failed_for_now_is_left_to_the_reads_as_before()
    {
        var rig = await SyncedRig();
        rig.Wiki.SessionFailure = WikiSync.Wiki.WikiApiException.Unavailable("unavailable", "The wiki did not answer.");

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);
        rig.Wiki.InfoBatches.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_pass_with_nothing_to_render_does_not_log_in()
    {
        var rig = Rig();

        var report = await rig.RunAsync(new SyncRequest(["no-such-job"], [], false));

        report.Pages.ShouldBeEmpty();
        rig.Wiki.SessionsPrepared.ShouldBe(0);
    }

    private static async Task<RunnerRig> SyncedRigWithRecentChanges()
    {
        var rig = await SyncedRig();
        rig.Wiki.RecentChanges = true;
        return rig;
    }

    [Fact]
    public async Task Page_no_edit_was_saved_on_since_our_save_is_known_current_from_recent_changes_alone()
    {
        var rig = await SyncedRigWithRecentChanges();
        var saved = rig.Wiki.History(Page)[^1].Id;

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().RevisionId.ShouldBe(saved);
        report.Pages[0].Action.ShouldBe(PageAction.Unchanged);
        rig.Wiki.InfoBatches.ShouldBeEmpty();
        // The emergency stop page rides on the recent changes' request: the pass reads nothing else.
        rig.Wiki.TitlesRead.ShouldBeEmpty();
        rig.Wiki.AlsoReadWithRecentChanges.ShouldBe([rig.ShutoffPage]);
        rig.Wiki.RecentChangesAsked.ShouldHaveSingleItem().ShouldBe(rig.Time.GetUtcNow() - SyncRunner.ClockSkew, "from the oldest verification, less the clock skew allowed");
    }

    [Fact]
    public async Task An_emergency_stop_read_with_the_recent_changes_still_stops_every_edit()
    {
        var rig = await SyncedRigWithRecentChanges();
        var text = rig.Wiki.Text(Page)!;
        rig.Wiki.Save(Page, text.Replace("* bots-db-1", "* vandalised", StringComparison.Ordinal));
        rig.Wiki.Save(rig.ShutoffPage, "stop");
        var edits = rig.Wiki.Edits.Count;

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Skipped);
        report.Pages[0].Reason.ShouldBe("shutoff");
        rig.Wiki.Edits.Count.ShouldBe(edits);
        rig.Wiki.TitlesRead.ShouldNotContain(rig.ShutoffPage);
    }

    [Fact]
    public async Task Person_edit_on_top_of_our_save_shows_in_recent_changes_and_the_page_is_read_and_repaired()
    {
        var rig = await SyncedRigWithRecentChanges();
        var text = rig.Wiki.Text(Page)!;
        rig.Wiki.Save(Page, text.Replace("* bots-db-1", "* vandalised", StringComparison.Ordinal));

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Updated);
        rig.Wiki.InfoBatches.ShouldBeEmpty();
        rig.Wiki.TitlesRead.ShouldContain(Page);
        rig.Wiki.Text(Page).ShouldBe(text);
    }

    [Fact]
    public async Task Page_deleted_since_is_named_by_recent_changes_and_made_again()
    {
        var rig = await SyncedRigWithRecentChanges();
        rig.Wiki.Delete(Page);

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Created);
        rig.Wiki.InfoBatches.ShouldBeEmpty();
        rig.Wiki.TitlesRead.ShouldContain(Page);
    }

    [Fact]
    public async Task Another_page_deleted_since_leaves_this_one_known_current()
    {
        var rig = await SyncedRigWithRecentChanges();
        rig.Wiki.Save("Some other page", "soon gone");
        rig.Wiki.Delete("Some other page");

        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);

        rig.Wiki.InfoBatches.ShouldBeEmpty();
        rig.Wiki.TitlesRead.ShouldNotContain(Page);
    }

    [Fact]
    public async Task Verification_older_than_the_recent_changes_window_is_asked_its_revision_and_then_trusted_again()
    {
        var rig = await SyncedRigWithRecentChanges();
        rig.Time.Advance(SyncRunner.RecentChangesWindow + TimeSpan.FromMinutes(1));

        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);
        rig.Wiki.InfoBatches.ShouldHaveSingleItem().ShouldBe([Page]);
        rig.Wiki.RecentChangesAsked.ShouldBeEmpty("no verification is recent enough to ask from");
        rig.Wiki.InfoBatches.Clear();

        (await rig.RunAsync()).Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);
        rig.Wiki.InfoBatches.ShouldBeEmpty();
        rig.Wiki.TitlesRead.ShouldNotContain(Page);
    }

    [Fact]
    public async Task Page_known_current_from_recent_changes_is_verified_anew_once_its_verification_is_an_hour_old()
    {
        var rig = await SyncedRigWithRecentChanges();
        var verifications = (InMemoryPageVerifications)rig.Verifications!;
        var first = verifications.All.ShouldHaveSingleItem().AsOf;

        rig.Time.Advance(TimeSpan.FromMinutes(10));
        await rig.RunAsync();
        verifications.All.ShouldHaveSingleItem().AsOf.ShouldBe(first, "ten minutes old: kept as it was");

        rig.Time.Advance(SyncRunner.RestampAfter);
        await rig.RunAsync();
        verifications.All.ShouldHaveSingleItem().AsOf.ShouldBe(rig.Time.GetUtcNow());
        rig.Wiki.InfoBatches.ShouldBeEmpty();
        rig.Wiki.TitlesRead.ShouldNotContain(Page);
    }
}
