using WikiSync.Jobs;
using WikiSync.Sections;
using WikiSync.Sources;
using WikiSync.Sync;
using WikiSync.Testing;
using WikiSync.Tests.Support;
using WikiSync.Wiki;
using static WikiSync.Tests.Support.Builders;

namespace WikiSync.Tests.Sync;

public sealed class SyncRunnerTests
{
    private const string Page = "Nova Resource:bots";

    private static RunnerRig Rig(bool createPages = true) => new(
        [Job("instances", "instances", createPages: createPages), Job("members", "members", createPages: createPages, placement: new Placement(PlacementKind.AfterSection, "instances"))],
        Project("bots", "Bots", "bots-web-1", "bots-db-1"));

    /// <summary>The report's one page has <paramref name="action"/> and a reason that says <paramref name="reason"/>.</summary>
    private static void OnlyOutcome(SyncReport report, PageAction action, string reason)
    {
        var outcome = report.Pages.ShouldHaveSingleItem();
        outcome.Action.ShouldBe(action);
        outcome.Reason!.ShouldContain(reason);
    }

    [Fact]
    public async Task Missing_page_is_created_from_the_skeleton_with_all_sections_in_one_edit()
    {
        var rig = Rig();

        var report = await rig.RunAsync();

        var outcome = report.Pages.ShouldHaveSingleItem();
        outcome.Action.ShouldBe(PageAction.Created);
        outcome.Sections.ShouldBe(["instances", "members"]);
        var edit = rig.Wiki.Edits.ShouldHaveSingleItem();
        edit.Summary.ShouldContain("instances");
        edit.Summary.ShouldContain("members");
        var text = rig.Wiki.Text(Page)!;
        text.ShouldStartWith("Hand-written introduction.\n");
        text.ShouldContain("<!-- wikisync:begin instances -->\n* bots-web-1\n* bots-db-1\n<!-- wikisync:end instances -->");
        text.IndexOf("wikisync:begin members", StringComparison.Ordinal).ShouldBeGreaterThan(text.IndexOf("wikisync:end instances", StringComparison.Ordinal));
        report.AllFine.ShouldBeTrue();
    }

    [Fact]
    public async Task Second_run_without_data_change_makes_no_edit()
    {
        var rig = Rig();
        await rig.RunAsync();

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Unchanged);
        rig.Wiki.Edits.Count.ShouldBe(1);
        rig.Wiki.EditAttempts.ShouldBe(1);
    }

    [Fact]
    public async Task Only_changed_sections_are_named_in_the_summary()
    {
        var rig = Rig();
        await rig.RunAsync();
        rig.Source.Inventory = new(new[] { Project("bots", "Bots", "bots-web-1") });

        var report = await rig.RunAsync();

        var outcome = report.Pages.ShouldHaveSingleItem();
        outcome.Action.ShouldBe(PageAction.Updated);
        outcome.Sections.ShouldBe(["instances"]);
        outcome.ToString().ShouldBe("updated Nova Resource:bots (instances)");
        rig.Wiki.Edits[^1].Summary.ShouldBe("WikiSync: update instances");
    }

    [Fact]
    public async Task All_pages_are_read_in_one_batch_and_the_source_collected_once()
    {
        var rig = new RunnerRig([Job("instances", "instances"), Job("members", "members")],
            Project("a"), Project("b"), Project("c"));

        await rig.RunAsync();

        rig.Wiki.ReadRequests.ShouldBe(1);
        rig.Wiki.ReadBatches[0].ShouldBe(["Nova Resource:a", "Nova Resource:b", "Nova Resource:c", rig.ShutoffPage], ignoreOrder: true);
        rig.Source.Collections.ShouldBe(1);
        rig.Wiki.Edits.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Hand_written_text_is_kept_byte_for_byte()
    {
        var rig = Rig();
        const string before = "Ünïcödé intro  \n<!-- a comment -->\n{| class=\"wikitable\"\n| cell\n|}\n";
        const string between = "\n<pre><!-- wikisync:begin instances --></pre>\n{{Template|x=1}}\t\n";
        const string after = "\n<nowiki>[[not a link]]</nowiki>\n   ";
        rig.Wiki.Save(Page, before + "<!-- wikisync:begin instances -->\nold\n<!-- wikisync:end instances -->" + between
            + "<!-- wikisync:begin members -->\nold\n<!-- wikisync:end members -->" + after);

        for (var i = 0; i < 3; i++)
            await rig.RunAsync();

        var text = rig.Wiki.Text(Page)!;
        text.ShouldStartWith(before + "<!-- wikisync:begin instances -->\n");
        text.ShouldContain("<!-- wikisync:end instances -->" + between + "<!-- wikisync:begin members -->");
        text.ShouldEndWith("<!-- wikisync:end members -->" + after);
        rig.Wiki.Edits.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Broken_markers_leave_the_page_untouched_and_name_the_line()
    {
        var rig = Rig();
        const string broken = "intro\n<!-- wikisync:begin instances -->\nno end here\n";
        rig.Wiki.Save(Page, broken);

        var report = await rig.RunAsync();

        OnlyOutcome(report, PageAction.Failed, "line 2");
        rig.Wiki.Text(Page).ShouldBe(broken);
        rig.Wiki.EditAttempts.ShouldBe(0);
        report.AllFine.ShouldBeFalse();
    }

    [Fact]
    public async Task Edit_conflict_reads_again_and_keeps_the_human_change()
    {
        var rig = Rig();
        rig.Wiki.Save(Page, "intro\n<!-- wikisync:begin instances -->\nold\n<!-- wikisync:end instances -->\n");
        rig.Wiki.BeforeEdit = (_, attempt) =>
        {
            if (attempt == 1)
                rig.Wiki.Save(Page, rig.Wiki.Text(Page)!.Replace("intro", "intro edited by a human", StringComparison.Ordinal));
            return Task.CompletedTask;
        };

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Updated);
        var text = rig.Wiki.Text(Page)!;
        text.ShouldStartWith("intro edited by a human\n");
        text.ShouldContain("* bots-web-1");
        rig.Wiki.EditAttempts.ShouldBe(2);
        rig.Wiki.History(Page).Select(r => r.User).ShouldBe(["Editor", "Editor", "WikiSyncBot"]);
    }

    [Fact]
    public async Task The_runner_reads_again_on_the_clients_conflict_kind_whatever_the_code_says()
    {
        var rig = Rig();
        rig.Wiki.Save(Page, "intro\n<!-- wikisync:begin instances -->\nold\n<!-- wikisync:end instances -->\n");
        rig.Wiki.BeforeEdit = (request, attempt) => attempt == 1
            ? throw new WikiApiException(WikiErrorKind.EditConflict, "a-code-no-runner-knows", "changed under us")
            : Task.CompletedTask;

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Updated);
        rig.Wiki.EditAttempts.ShouldBe(2);
    }

    [Fact]
    public async Task A_refusal_of_another_kind_is_not_taken_for_a_conflict_even_with_a_conflict_code()
    {
        var rig = Rig();
        rig.Wiki.Save(Page, "intro\n");
        rig.Wiki.BeforeEdit = (_, _) => throw new WikiApiException(WikiErrorKind.Refused, "editconflict", "refused");

        var report = await rig.RunAsync();

        OnlyOutcome(report, PageAction.Failed, "refused");
        rig.Wiki.EditAttempts.ShouldBe(1);
    }

    [Fact]
    public async Task Endless_conflicts_fail_the_page_after_a_bounded_number_of_tries()
    {
        var rig = Rig();
        rig.Wiki.Save(Page, "intro\n");
        var n = 0;
        rig.Wiki.BeforeEdit = (_, _) =>
        {
            rig.Wiki.Save(Page, $"intro {++n}\n");
            return Task.CompletedTask;
        };

        var report = await rig.RunAsync();

        OnlyOutcome(report, PageAction.Failed, "edit conflict");
        rig.Wiki.EditAttempts.ShouldBe(5);
        rig.Wiki.History(Page).ShouldAllBe(r => r.User == "Editor");
    }

    [Fact]
    public async Task Section_removed_by_an_editor_is_reported_not_put_back()
    {
        var rig = Rig();
        await rig.RunAsync();
        var text = rig.Wiki.Text(Page)!;
        var start = text.IndexOf("<!-- wikisync:begin members", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- wikisync:end members -->", StringComparison.Ordinal) + "<!-- wikisync:end members -->".Length;
        rig.Wiki.Save(Page, text[..start] + text[end..]);

        var report = await rig.RunAsync();

        OnlyOutcome(report, PageAction.Skipped, "members removed by an editor, not put back");
        rig.Wiki.Text(Page)!.ShouldNotContain("wikisync:begin members");
    }

    [Fact]
    public async Task Missing_page_is_skipped_with_a_reason_when_the_job_may_not_create_it()
    {
        var rig = Rig(createPages: false);

        var report = await rig.RunAsync();

        OnlyOutcome(report, PageAction.Skipped, "does not exist");
        rig.Wiki.EditAttempts.ShouldBe(0);
        report.AllFine.ShouldBeTrue();
    }

    [Fact]
    public async Task Dry_run_writes_nothing_and_returns_a_unified_diff()
    {
        var rig = Rig();
        rig.Wiki.Save(Page, "intro\n");

        var report = await rig.RunAsync(new SyncRequest([], [], DryRun: true));

        var outcome = report.Pages.ShouldHaveSingleItem();
        outcome.Action.ShouldBe(PageAction.Updated);
        outcome.Diff!.ShouldContain("+<!-- wikisync:begin instances -->");
        outcome.Diff!.ShouldContain("--- a/Nova Resource:bots");
        rig.Wiki.EditAttempts.ShouldBe(0);
        rig.Wiki.Text(Page).ShouldBe("intro\n");
    }

    [Fact]
    public async Task Failed_source_fails_its_jobs_and_touches_no_page()
    {
        var rig = Rig();
        await rig.RunAsync();
        var before = rig.Wiki.Text(Page);
        rig.Source.Failure = new SourceException("inventory.yaml:3:5: unknown key \"x\"");

        var report = await rig.RunAsync();

        report.Pages.ShouldBeEmpty();
        report.BrokenJobs.Select(p => p.Job).ShouldBe(["instances", "members"]);
        report.BrokenJobs[0].Reason.ShouldContain("inventory.yaml:3:5");
        report.AllFine.ShouldBeFalse();
        rig.Wiki.Text(Page).ShouldBe(before);
    }

    [Fact]
    public async Task Shutoff_page_with_text_stops_every_edit()
    {
        var rig = Rig();
        rig.Wiki.Save(rig.ShutoffPage, "stop please");

        var report = await rig.RunAsync();

        var outcome = report.Pages.ShouldHaveSingleItem();
        outcome.Action.ShouldBe(PageAction.Skipped);
        outcome.Reason.ShouldBe("shutoff");
        rig.Wiki.EditAttempts.ShouldBe(0);
    }

    [Fact]
    public async Task Shutoff_page_with_only_white_space_lets_edits_through()
    {
        var rig = Rig();
        rig.Wiki.Save(rig.ShutoffPage, " \n\t");

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Created);
    }

    [Fact]
    public async Task One_page_failing_does_not_stop_the_others()
    {
        var rig = new RunnerRig([Job("instances", "instances")], Project("a"), Project("b"), Project("c"));
        rig.Wiki.Refuse("Nova Resource:b", new WikiApiException(WikiErrorKind.Protected, "protectedpage", "The page is protected."));

        var report = await rig.RunAsync();

        report.Pages.Single(p => p.Title == "Nova Resource:b").ToString().ShouldBe("failed Nova Resource:b (The page is protected.)");
        report.Pages.Where(p => p.Action == PageAction.Created).Select(p => p.Title).ShouldBe(["Nova Resource:a", "Nova Resource:c"], ignoreOrder: true);
    }

    [Fact]
    public async Task Broken_job_is_reported_and_the_others_run()
    {
        var rig = Rig();
        rig.Jobs = rig.Jobs with { Problems = [new JobFileProblem("broken", "jobs/broken.yaml", "jobs/broken.yaml:2:3: unknown key \"x\"")] };
        rig.TemplateTexts["members"] = "{{ for m in }}";

        var report = await rig.RunAsync();

        report.BrokenJobs.Select(p => p.Job).ShouldBe(["broken", "members"], ignoreOrder: true);
        report.Pages.ShouldHaveSingleItem().Sections.ShouldBe(["instances"]);
        rig.Wiki.Text(Page)!.ShouldContain("wikisync:begin instances");
    }

    [Fact]
    public async Task Job_and_project_filters_limit_the_pass()
    {
        var rig = new RunnerRig([Job("instances", "instances"), Job("members", "members"), Job("index", "index", page: "Nova Resource:Projects", forEach: ForEach.None)],
            Project("a"), Project("b"));

        var report = await rig.RunAsync(new SyncRequest(["members"], ["b"], false));

        var outcome = report.Pages.ShouldHaveSingleItem();
        outcome.Title.ShouldBe("Nova Resource:b");
        outcome.Sections.ShouldBe(["members"]);
    }

    [Fact]
    public async Task Unknown_job_or_project_is_reported()
    {
        var rig = Rig();

        var report = await rig.RunAsync(new SyncRequest(["nope"], ["ghost"], false));

        report.BrokenJobs.Select(p => p.Reason).ShouldContain(r => r.Contains("no job named \"nope\""));
        report.AllFine.ShouldBeFalse();
    }

    [Fact]
    public async Task Page_about_all_projects_is_one_page()
    {
        var rig = new RunnerRig([Job("index", "index", page: "Nova Resource:Projects", forEach: ForEach.None)], Project("a"), Project("b"));

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Title.ShouldBe("Nova Resource:Projects");
        rig.Wiki.Text("Nova Resource:Projects")!.ShouldContain("* a\n* b");
    }

    [Fact]
    public async Task Request_summary_replaces_the_generated_one()
    {
        var rig = Rig();

        await rig.RunAsync(new SyncRequest([], [], false, "deployed web (alice)"));

        rig.Wiki.Edits.ShouldHaveSingleItem().Summary.ShouldBe("deployed web (alice)");
    }

    private sealed class CountingLedger : IPlacementLedger
    {
        private readonly InMemoryPlacementLedger _inner = new();

        public int Reads { get; private set; }

        public Task<IReadOnlySet<string>> PlacedAsync(string page, CancellationToken cancellationToken)
        {
            Reads++;
            return _inner.PlacedAsync(page, cancellationToken);
        }

        public Task RecordAsync(string page, IReadOnlyCollection<string> sections, CancellationToken cancellationToken) =>
            _inner.RecordAsync(page, sections, cancellationToken);
    }

    [Fact]
    public async Task Ledger_is_asked_only_when_the_page_lacks_a_section()
    {
        var rig = Rig();
        var ledger = new CountingLedger();
        rig.Ledger = ledger;
        await rig.RunAsync();
        await rig.RunAsync();
        ledger.Reads.ShouldBe(0);

        rig.Wiki.Save(Page, "only hand-written text now\n");
        var report = await rig.RunAsync();

        ledger.Reads.ShouldBe(1);
        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Skipped);
    }

    [Fact]
    public async Task Cancelling_lets_the_page_in_hand_finish_and_starts_no_other()
    {
        var rig = new RunnerRig([Job("instances", "instances")], Project("a"), Project("b"));
        using var stop = new CancellationTokenSource();
        rig.Wiki.BeforeEdit = (_, _) =>
        {
            stop.Cancel();
            return Task.CompletedTask;
        };

        await Should.ThrowAsync<OperationCanceledException>(() => rig.Runner().RunAsync(SyncRequest.All, stop.Token));

        rig.Wiki.EditAttempts.ShouldBe(1);
        rig.Wiki.Edits.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_pass_over_named_projects_asks_the_source_for_them_alone()
    {
        var rig = new RunnerRig([Job("instances", "instances"), Job("index", "index", page: "Nova Resource:Projects", forEach: ForEach.None)], Project("a"), Project("b"));

        await rig.RunAsync(new SyncRequest([], ["a"], DryRun: false));

        rig.Source.Scopes.ShouldBe([["a"]]);
    }

    [Fact]
    public async Task A_pass_that_renders_a_page_about_all_projects_asks_the_source_for_everything()
    {
        var rig = new RunnerRig([Job("instances", "instances"), Job("index", "index", page: "Nova Resource:Projects", forEach: ForEach.None)], Project("a"), Project("b"));

        await rig.RunAsync(new SyncRequest(["instances", "index"], ["a"], DryRun: false));

        rig.Source.Scopes.ShouldHaveSingleItem().ShouldBeEmpty();
    }
}
