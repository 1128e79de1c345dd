using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.Sync;
using WikiSync.Testing;
using WikiSync.Tests.Support;
using WikiSync.Wiki;
using static WikiSync.Tests.Support.Builders;

namespace WikiSync.Tests.Sync;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Shutdown_during_an_edit_lets_that_edit_finish_and_starts_no_other_page()
    {
        var rig = new RunnerRig([Job("instances", "instances")], Project("alpha", "", "a-1"), Project("beta", "", "b-1"));
        using var shutdown = new CancellationTokenSource();
        var wiki = new ShutdownDuringEdit(rig.Wiki, shutdown);
        var runner = new SyncRunner(wiki, rig.Jobs, InlineTemplates.Sections(rig.TemplateTexts), rig.Source, rig.Ledger,
            new SyncOptions(rig.ShutoffPage), rig.Time, NullLogger<SyncRunner>.Instance);

        await Should.ThrowAsync<OperationCanceledException>(() => runner.RunAsync(SyncRequest.All, shutdown.Token));

        // The page in hand was saved although shutdown came in the middle of its edit; the next was not begun.
        rig.Wiki.Edits.ShouldHaveSingleItem().Title.ShouldBe("Nova Resource:alpha");
        wiki.EditsStarted.ShouldBe(1);
    }

    [Fact]
    public async Task An_edit_that_hangs_after_shutdown_is_cut_off_when_the_one_stop_grace_ends()
    {
        var rig = new RunnerRig([Job("instances", "instances")], Project("alpha", "", "a-1"));
        using var shutdown = new CancellationTokenSource();
        var wiki = new HungEdit(rig.Wiki);
        var grace = TimeSpan.FromSeconds(30);
        var runner = new SyncRunner(wiki, rig.Jobs, InlineTemplates.Sections(rig.TemplateTexts), rig.Source, rig.Ledger,
            new SyncOptions(rig.ShutoffPage) { StopGrace = grace }, rig.Time, NullLogger<SyncRunner>.Instance);

        var run = runner.RunAsync(SyncRequest.All, shutdown.Token);
        await wiki.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await shutdown.CancelAsync();
        rig.Time.Advance(grace - TimeSpan.FromSeconds(1));
        wiki.Cancelled.Task.IsCompleted.ShouldBeFalse();
        rig.Time.Advance(TimeSpan.FromSeconds(1));

        // Cut off at the grace counted from the stop, not a second grace nested inside the edit.
        await wiki.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Should.ThrowAsync<OperationCanceledException>(() => run);
    }

    /// <summary>An edit the wiki never answers; it ends only when its token is cancelled.</summary>
    private sealed class HungEdit(IWikiSite inner) : IWikiSite
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<IReadOnlyDictionary<string, WikiPage>> ReadPagesAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken) =>
            inner.ReadPagesAsync(titles, cancellationToken);

        public async Task<EditResult> EditAsync(EditRequest request, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }
            throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>Asks for shutdown as the first edit starts, then saves after the request is cancelled, as a slow wiki would.</summary>
    private sealed class ShutdownDuringEdit(IWikiSite inner, CancellationTokenSource shutdown) : IWikiSite
    {
        public int EditsStarted { get; private set; }

        public Task<IReadOnlyDictionary<string, WikiPage>> ReadPagesAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken) =>
            inner.ReadPagesAsync(titles, cancellationToken);

        public async Task<EditResult> EditAsync(EditRequest request, CancellationToken cancellationToken)
        {
            EditsStarted++;
            await shutdown.CancelAsync();
            await Task.Yield();
            return await inner.EditAsync(request, cancellationToken);
        }
    }
}
