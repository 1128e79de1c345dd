using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WikiSync.Sync;
using WikiSync.Tests.Support;
using WikiSync.Scheduling;
using WikiSync.Testing;

namespace WikiSync.Tests.Scheduling;

public sealed class SyncJobTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 4, 12, 0, 0, TimeSpan.Zero));
    private readonly JobRunHistory _history = new();
    private readonly RecordingMetrics _metrics = new();

    [Fact]
    public async Task A_run_records_its_edits_result_and_metrics()
    {
        var runner = new RecordingSyncRunner
        {
            Answer = (_, _) => Task.FromResult(new SyncReport(
            [
                new PageOutcome("Nova Resource:A", PageAction.Updated, ["instances"], RevisionId: 42),
                new PageOutcome("Nova Resource:B", PageAction.Unchanged, []),
            ], [])),
        };

        await SyncJob.RunAsync(runner, _history, _metrics, _time, NullLogger.Instance, "instances", new SyncRequest(["instances"], [], false), CancellationToken.None);

        runner.Requests.Single().Jobs.ShouldBe(["instances"]);
        _history.LastRuns["instances"].Result.ShouldBe(RunResult.Succeeded);
        _history.LastRuns["instances"].Summary.ShouldBe("1 updated, 1 unchanged");
        _metrics.Calls.ShouldBe(["edit instances", "unchanged instances", "success instances"]);
    }

    [Fact]
    public async Task A_failing_runner_fails_the_run_without_throwing()
    {
        var runner = new RecordingSyncRunner { Answer = (_, _) => throw new InvalidOperationException("source down") };
        await SyncJob.RunAsync(runner, _history, _metrics, _time, NullLogger.Instance, "members", new SyncRequest(["members"], [], false), CancellationToken.None);
        _history.LastRuns["members"].Result.ShouldBe(RunResult.Failed);
        _history.LastRuns["members"].Summary.ShouldBe("source down");
        _metrics.Calls.ShouldBe(["error job"]);
    }

    [Fact]
    public async Task A_broken_job_in_the_report_is_a_failed_run()
    {
        var runner = new RecordingSyncRunner { Answer = (_, _) => Task.FromResult(new SyncReport([], [new JobProblem("x", "templates/x.sbn:1:2: bad")])) };
        await SyncJob.RunAsync(runner, _history, _metrics, _time, NullLogger.Instance, "x", new SyncRequest(["x"], [], false), CancellationToken.None);
        _history.LastRuns["x"].Result.ShouldBe(RunResult.Failed);
        _history.LastRuns["x"].Summary.ShouldContain("templates/x.sbn:1:2: bad");
    }

    [Fact]
    public async Task A_run_stopped_by_shutdown_is_recorded_as_cancelled()
    {
        using var cts = new CancellationTokenSource();
        var runner = new RecordingSyncRunner { Answer = async (_, ct) => { await cts.CancelAsync(); ct.ThrowIfCancellationRequested(); return new SyncReport([], []); } };
        await SyncJob.RunAsync(runner, _history, _metrics, _time, NullLogger.Instance, "x", new SyncRequest(["x"], [], false), cts.Token);
        _history.LastRuns["x"].Result.ShouldBe(RunResult.Cancelled);
    }

    [Fact]
    public async Task The_gate_lets_one_writing_run_in_at_a_time()
    {
        var inside = 0;
        var most = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new RecordingSyncRunner
        {
            Answer = async (_, _) =>
            {
                var now = Interlocked.Increment(ref inside);
                most = Math.Max(most, now);
                await release.Task;
                Interlocked.Decrement(ref inside);
                return new SyncReport([], []);
            },
        };
        var gated = new GatedSyncRunner(runner, new LocalSyncGate());

        // All five ask while the first is held inside: a run the gate admits reaches the runner before
        // RunAsync returns, so without the gate all five would be inside now.
        var runs = Enumerable.Range(0, 5).Select(_ => gated.RunAsync(new SyncRequest([], [], false), CancellationToken.None)).ToList();
        runner.Requests.Count.ShouldBe(1);
        release.SetResult();
        await Task.WhenAll(runs);

        most.ShouldBe(1);
        runner.Requests.Count.ShouldBe(5);
    }

    [Fact]
    public async Task Every_saved_page_goes_to_the_edit_journal_whichever_way_the_run_came_in()
    {
        var runner = new RecordingSyncRunner
        {
            Answer = (_, _) => Task.FromResult(new SyncReport(
            [
                new PageOutcome("Nova Resource:A/SAL", PageAction.Updated, ["sal"], RevisionId: 7),
                new PageOutcome("Nova Resource:B", PageAction.Unchanged, []),
                new PageOutcome("Nova Resource:C", PageAction.Created, ["instances"], RevisionId: 8),
            ], [])),
        };
        var journal = new MemoryEditJournal();
        var gated = new GatedSyncRunner(runner, new LocalSyncGate(), journal, _time);
        await gated.RunAsync(new SyncRequest(["sal"], ["a"], false), CancellationToken.None);
        await gated.RunAsync(new SyncRequest(["sal"], ["a"], DryRun: true), CancellationToken.None);

        var edits = await journal.RecentAsync(10, CancellationToken.None);
        edits.Select(e => (e.Title, e.RevisionId, e.Job)).ShouldBe([("Nova Resource:C", 8L, "sal"), ("Nova Resource:A/SAL", 7L, "sal")]);
    }
}
