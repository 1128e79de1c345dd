using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.AdminLog;
using WikiSync.Model;
using WikiSync.Testing;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.AdminLog;

public sealed class SalPublisherTests : IDisposable
{
    private readonly TempSalStore _db = new();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _db.Dispose();
    }

    private SalPublisher Publisher(FakeSalRunner runner, SalPublisherOptions? options = null) =>
        new(runner, _db.Entries, SalTestData.Pages, TimeProvider.System, NullLogger<SalPublisher>.Instance,
            options ?? new SalPublisherOptions { Gather = TimeSpan.Zero, FirstRetry = TimeSpan.FromMilliseconds(50), MaxRetry = TimeSpan.FromMilliseconds(200) });

    private async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        while (!await condition())
        {
            await Task.Delay(20, _stop.Token);
        }
    }

    private Task AllPublishedAsync() => WaitUntilAsync(async () => (await _db.Entries.ProjectsWithUnpublishedAsync(_stop.Token)).Count == 0);

    [Fact]
    public async Task Burst_arriving_while_a_sync_runs_goes_out_in_one_more_edit_per_project()
    {
        var runner = new FakeSalRunner(_db.Entries) { Gate = new TaskCompletionSource() };
        var publisher = Publisher(runner);
        var intake = SalTestData.Intake(_db.Entries, publisher);
        var loop = publisher.RunAsync(_stop.Token);

        await intake.SubmitAsync(new LogSubmission("tools", "first", "alice", "cli"), _stop.Token);
        await WaitUntilAsync(() => Task.FromResult(runner.Requests.Count == 1));
        for (var i = 0; i < 50; i++)
        {
            await intake.SubmitAsync(new LogSubmission(i % 2 == 0 ? "tools" : "deployment-prep", $"burst {i}", "bob", "cli"), _stop.Token);
        }

        runner.Gate.SetResult();
        await AllPublishedAsync();

        // The held sync renders what is stored when it runs, so it already carries part of the burst; at
        // most one more sync a project follows, however many entries.
        // The log's record (jobs sal and sal-archive) goes first; the recent log follows in a pass of its own
        // once no new entry waits.
        runner.Edits.ShouldBeLessThanOrEqualTo(3);
        var urgent = runner.Requests.Where(r => r.Jobs.Order(StringComparer.Ordinal).SequenceEqual(new[] { "sal", "sal-archive" })).ToList();
        var followUps = runner.Requests.Where(r => r.Jobs.SequenceEqual(new[] { "sal-recent" })).ToList();
        urgent.Count.ShouldBeLessThanOrEqualTo(3);
        followUps.Count.ShouldBeLessThanOrEqualTo(3);
        (urgent.Count + followUps.Count).ShouldBe(runner.Requests.Count);
        runner.Requests.ShouldAllBe(r => r.Projects.Count == 1);
        followUps.Select(r => r.Projects[0]).ShouldBe(["deployment-prep", "tools"], ignoreOrder: true);
        var tools = await _db.Entries.ListAsync("tools", null, _stop.Token);
        tools.Count.ShouldBe(26);
        tools.ShouldAllBe(e => e.PublishedRevision != null);
        urgent[1].Summary.ShouldBe("25 Server Admin Log entries");
        await _stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => loop);
    }

    [Fact]
    public async Task Wiki_refusing_keeps_entries_waiting_and_a_retry_publishes_them_once()
    {
        var runner = new FakeSalRunner(_db.Entries);
        var down = true;
        runner.Fail = _ => down ? new HttpRequestException("connection refused") : null;
        var publisher = Publisher(runner);
        var intake = SalTestData.Intake(_db.Entries, publisher);
        var loop = publisher.RunAsync(_stop.Token);

        var result = await intake.SubmitAsync(new LogSubmission("tools", "while down", "alice", "cli"), _stop.Token);
        result.Outcome.ShouldBe(LogOutcome.Logged);
        await WaitUntilAsync(() => Task.FromResult(runner.Requests.Count >= 3));
        (await _db.Entries.ProjectsWithUnpublishedAsync(_stop.Token)).ShouldBe(["tools"]);

        down = false;
        await AllPublishedAsync();
        runner.Edits.ShouldBe(1);
        runner.PageText("tools")!.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem().ShouldContain("while down");
        await _stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => loop);
    }

    [Fact]
    public async Task Entries_the_project_page_shows_wait_until_their_log_page_is_saved()
    {
        // The wiki came back between the log page's pass and the recent log's: only the log page publishes.
        var runner = new FakeSalRunner(_db.Entries);
        var logDown = true;
        runner.Fail = r => logDown && r.Jobs.Contains("sal") ? new HttpRequestException("connection refused") : null;
        var publisher = Publisher(runner);
        var loop = publisher.RunAsync(_stop.Token);

        await SalTestData.Intake(_db.Entries, publisher).SubmitAsync(new LogSubmission("tools", "log page first", "alice", "cli"), _stop.Token);
        await WaitUntilAsync(() => Task.FromResult(runner.Requests.Count(r => !r.Jobs.Contains("sal")) >= 2));
        (await _db.Entries.ProjectsWithUnpublishedAsync(_stop.Token)).ShouldBe(["tools"]);
        (await publisher.PublishProjectAsync("tools", _stop.Token)).ShouldBeFalse();
        (await _db.Entries.ProjectsWithUnpublishedAsync(_stop.Token)).ShouldBe(["tools"]);

        logDown = false;
        await AllPublishedAsync();
        runner.Requests.Last(r => r.Jobs.Contains("sal")).Jobs.ShouldBe(["sal", "sal-archive"], ignoreOrder: true);
        await _stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => loop);
    }

    [Fact]
    public async Task Crash_between_edit_and_record_then_a_new_publisher_records_without_a_second_edit()
    {
        var runner = new FakeSalRunner(_db.Entries) { ThrowAfterSave = true };
        var first = Publisher(runner);
        await SalTestData.Intake(_db.Entries, new RecordingSignal()).SubmitAsync(new LogSubmission("tools", "once only", "alice", "cli"), _stop.Token);

        (await first.PublishProjectAsync("tools", _stop.Token)).ShouldBeFalse();
        runner.Edits.ShouldBe(1);
        (await _db.Entries.ProjectsWithUnpublishedAsync(_stop.Token)).ShouldBe(["tools"]);

        runner.ThrowAfterSave = false;
        var second = Publisher(runner);
        var loop = second.RunAsync(_stop.Token); // sweeps at start
        await AllPublishedAsync();

        runner.Edits.ShouldBe(1);
        (await _db.Entries.ListAsync("tools", null, _stop.Token)).ShouldHaveSingleItem().PublishedRevision.ShouldBe(101);
        await _stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => loop);
    }

    [Fact]
    public async Task Published_event_carries_receive_and_publish_times()
    {
        var runner = new FakeSalRunner(_db.Entries);
        var publisher = Publisher(runner);
        var seen = new List<SalPublished>();
        publisher.Published += (_, e) => seen.Add(e);
        await SalTestData.Intake(_db.Entries, publisher).SubmitAsync(new LogSubmission("tools", "x", "alice", "cli"), _stop.Token);

        (await publisher.PublishProjectAsync("tools", _stop.Token)).ShouldBeTrue();

        var published = seen.ShouldHaveSingleItem();
        published.Revision.ShouldBe(101);
        published.PublishedUtc.ShouldBeGreaterThanOrEqualTo(published.Entries.Single().ReceivedUtc);
    }

    [Fact]
    public void Summary_is_message_and_nick_for_one_entry()
    {
        var entry = new LogEntry(1, "tools", "alice", "restarted nginx", "#ops", DateTimeOffset.UnixEpoch);
        SalPublisher.Summary([entry]).ShouldBe("restarted nginx (alice)");
    }

    [Fact]
    public void Summary_is_cut_to_the_mediawiki_limit_and_drops_control_characters()
    {
        var entry = new LogEntry(1, "tools", "alice", "a\u0007b" + new string('x', 5000), "#ops", DateTimeOffset.UnixEpoch);
        var summary = SalPublisher.Summary([entry]);
        summary.Length.ShouldBeLessThanOrEqualTo(500);
        summary.ShouldStartWith("abx");
        summary.ShouldEndWith("… (alice)");
    }

    [Fact]
    public void Summary_counts_characters_as_mediawiki_does_so_a_long_non_latin_message_is_kept_whole()
    {
        var message = string.Concat(Enumerable.Repeat("😀", 300));
        var entry = new LogEntry(1, "tools", "alice", message, "#ops", DateTimeOffset.UnixEpoch);

        SalPublisher.Summary([entry]).ShouldBe(message + " (alice)");
        SalPublisher.Summary([entry with { Message = message + message }]).ShouldBe(WikiSync.Wiki.EditSummary.Truncate(message + message, " (alice)"));
    }

    [Fact]
    public void Summary_counts_several_entries()
    {
        var e = new LogEntry(1, "tools", "alice", "m", "#ops", DateTimeOffset.UnixEpoch);
        SalPublisher.Summary([e, e with { Id = 2 }, e with { Id = 3 }]).ShouldBe("3 Server Admin Log entries");
    }
}
