using WikiSync.Sync;
using WikiSync.Testing;
using WikiSync.Tests.Support;
using WikiSync.Wiki;
using static WikiSync.Tests.Support.Builders;

namespace WikiSync.Tests.Sync;

/// <summary>
/// Issue 6: a pass renders, checks and reads its pages a batch at a time while it saves the batch before,
/// so the first edit does not wait for every page; what a batch finds (emergency stop, a wiki that does
/// not answer) still holds for every page after it.
/// </summary>
public sealed class SyncRunnerBatchTests
{
    private static RunnerRig Rig(int projects) =>
        new([Job("instances", "instances")], [.. Enumerable.Range(1, projects).Select(i => Project($"p{i:0000}", "", $"p{i:0000}-web-1"))]);

    [Fact]
    public async Task First_edit_is_made_before_every_page_is_read()
    {
        var rig = Rig(1000);
        var readAtFirstEdit = -1;
        rig.Wiki.BeforeEdit = (_, attempt) =>
        {
            if (attempt == 1)
                readAtFirstEdit = rig.Wiki.TitlesRead.Count();
            return Task.CompletedTask;
        };

        var report = await rig.RunAsync();

        report.Pages.Count.ShouldBe(1000);
        report.Pages.ShouldAllBe(p => p.Action == PageAction.Created);
        readAtFirstEdit.ShouldBeGreaterThanOrEqualTo(SyncRunner.FirstBatch);
        readAtFirstEdit.ShouldBeLessThan(1000);
        rig.Wiki.ReadBatches[0].Count.ShouldBe(SyncRunner.FirstBatch + 1, "the first batch and the shutoff page");
    }

    [Fact]
    public async Task Pages_are_reported_in_inventory_order_across_batches()
    {
        var rig = Rig(150);

        var report = await rig.RunAsync();

        report.Pages.Select(p => p.Title).ShouldBe(Enumerable.Range(1, 150).Select(i => $"Nova Resource:p{i:0000}"));
    }

    [Fact]
    public async Task Emergency_stop_skips_the_pages_of_every_batch_and_reads_only_the_first()
    {
        var rig = Rig(300);
        rig.Wiki.Save(rig.ShutoffPage, "stop please");

        var report = await rig.RunAsync();

        report.Pages.Count.ShouldBe(300);
        report.Pages.ShouldAllBe(p => p.Action == PageAction.Skipped && p.Reason == "shutoff");
        rig.Wiki.ReadRequests.ShouldBe(1);
        rig.Wiki.EditAttempts.ShouldBe(0);
    }

    [Fact]
    public async Task Wiki_failing_a_later_read_fails_that_batch_and_the_rest_and_keeps_what_was_saved()
    {
        var rig = Rig(300);
        rig.Wiki.ReadFailure = titles => titles.Contains("Nova Resource:p0050") ? WikiApiException.Unavailable("http", "the wiki is down") : null;

        var report = await rig.RunAsync();

        report.Pages.Count.ShouldBe(300);
        var saved = report.Pages.TakeWhile(p => p.Action == PageAction.Created).ToList();
        saved.Count.ShouldBe(SyncRunner.FirstBatch);
        report.Pages.Skip(saved.Count).ShouldAllBe(p => p.Action == PageAction.Failed && p.Reason!.StartsWith("reading the page failed", StringComparison.Ordinal));
        rig.Wiki.ReadRequests.ShouldBe(2, "no page after the failed read is asked for again in this pass");
        rig.Wiki.Edits.Count.ShouldBe(SyncRunner.FirstBatch);
    }

    [Fact]
    public async Task Section_that_fails_to_render_in_a_later_batch_fails_its_page_only()
    {
        var rig = Rig(100);
        rig.TemplateTexts["instances"] = "{{ if project.name == 'p0077' }}{{ project.no_such_member }}{{ end }}{{ for i in project.instances }}* {{ i.name }}\n{{ end }}";

        var report = await rig.RunAsync();

        var failed = report.Pages.Where(p => p.Action == PageAction.Failed).ShouldHaveSingleItem();
        failed.Title.ShouldBe("Nova Resource:p0077");
        failed.Reason.ShouldStartWith("section instances:");
        report.Pages.Count(p => p.Action == PageAction.Created).ShouldBe(99);
    }

    [Fact]
    public async Task Cancelled_pass_stops_checking_and_returns()
    {
        var rig = Rig(1000);
        using var stop = new CancellationTokenSource();
        rig.Wiki.BeforeEdit = (_, _) =>
        {
            stop.Cancel();
            return Task.CompletedTask;
        };

        await Should.ThrowAsync<OperationCanceledException>(() => rig.Runner().RunAsync(SyncRequest.All, stop.Token));

        rig.Wiki.Edits.ShouldHaveSingleItem();
        rig.Wiki.TitlesRead.Count().ShouldBeLessThan(1000);
    }
}
