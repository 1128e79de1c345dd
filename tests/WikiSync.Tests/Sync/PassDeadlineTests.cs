using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.Testing;
using WikiSync.Model;
using WikiSync.Sources;
using WikiSync.Sync;
using WikiSync.Tests.Support;
using static WikiSync.Tests.Support.Builders;

namespace WikiSync.Tests.Sync;

public sealed class PassDeadlineTests
{
    [Fact]
    public async Task A_source_that_never_answers_fails_the_pass_at_its_deadline_and_frees_the_gate()
    {
        var rig = new RunnerRig([Job("instances", "instances")], Project("alpha", "", "a-1"));
        var source = new SilentSource();
        var gate = new LocalSyncGate();
        var runner = new GatedSyncRunner(new SyncRunner(rig.Wiki, rig.Jobs, InlineTemplates.Sections(rig.TemplateTexts), source, rig.Ledger,
            new SyncOptions(rig.ShutoffPage) { PassTimeout = TimeSpan.FromMinutes(10) }, rig.Time, NullLogger<SyncRunner>.Instance), gate);

        var pass = runner.RunAsync(SyncRequest.All, CancellationToken.None);
        rig.Time.Advance(TimeSpan.FromMinutes(9));
        pass.IsCompleted.ShouldBeFalse();
        rig.Time.Advance(TimeSpan.FromMinutes(1));
        var report = await pass;

        report.AllFine.ShouldBeFalse();
        var problem = report.BrokenJobs.ShouldHaveSingleItem();
        problem.Job.ShouldBe(SyncRunner.PassProblem);
        problem.Reason.ShouldContain("did not finish within 10m (pass_timeout)");
        problem.Reason.ShouldContain("while collecting from silent");
        rig.Wiki.Edits.ShouldBeEmpty();
        // The gate is free: the next pass gets in at once.
        var next = gate.EnterAsync(urgent: false, CancellationToken.None);
        next.IsCompletedSuccessfully.ShouldBeTrue();
        await (await next).DisposeAsync();
    }

    [Fact]
    public async Task A_pass_that_ends_in_time_reports_no_deadline()
    {
        var rig = new RunnerRig([Job("instances", "instances")], Project("alpha", "", "a-1"));

        var report = await rig.RunAsync();

        report.BrokenJobs.ShouldBeEmpty();
        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Created);
    }

    [Fact]
    public async Task Cancelling_the_pass_is_not_reported_as_a_deadline()
    {
        var rig = new RunnerRig([Job("instances", "instances")], Project("alpha", "", "a-1"));
        var runner = new SyncRunner(rig.Wiki, rig.Jobs, InlineTemplates.Sections(rig.TemplateTexts), new SilentSource(), rig.Ledger,
            new SyncOptions(rig.ShutoffPage), rig.Time, NullLogger<SyncRunner>.Instance);
        using var stop = new CancellationTokenSource();

        var pass = runner.RunAsync(SyncRequest.All, stop.Token);
        await stop.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => pass);
    }

    /// <summary>Never answers and ignores the token, as a blocking client underneath would.</summary>
    private sealed class SilentSource : IInventorySource
    {
        public string Describe() => "silent";

        public Task<Inventory> CollectAsync(CancellationToken cancellationToken) => new TaskCompletionSource<Inventory>().Task;
    }
}
