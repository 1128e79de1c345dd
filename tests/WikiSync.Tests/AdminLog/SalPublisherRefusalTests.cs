using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.AdminLog;
using WikiSync.Testing;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.AdminLog;

/// <summary>One entry the wiki refuses for its text never holds back the others (issue 14 §4).</summary>
public sealed class SalPublisherRefusalTests : IDisposable
{
    private const string Spam = "WIKISYNC-SPAM-TEST";
    private readonly TempSalStore _db = new();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _stop.Dispose();
        _db.Dispose();
    }

    private SalPublisher Publisher(FakeSalRunner runner) =>
        new(runner, _db.Entries, SalTestData.Pages, TimeProvider.System, NullLogger<SalPublisher>.Instance,
            new SalPublisherOptions { Gather = TimeSpan.Zero, FirstRetry = TimeSpan.FromMilliseconds(50), MaxRetry = TimeSpan.FromMilliseconds(200) });

    private async Task<long> AddAsync(string message, string project = "tools") =>
        (await _db.Entries.AddAsync(new NewLogEntry(Guid.NewGuid().ToString("N"), project, "alice", message, "#ops", DateTimeOffset.UtcNow), _stop.Token)).Entry.Id;

    private async Task<StoredLogEntry> StateAsync(long id) => (await _db.Entries.GetAsync(id, _stop.Token)).ShouldNotBeNull();

    [Fact]
    public async Task One_refused_entry_among_eight_is_found_by_halves_and_the_seven_others_publish()
    {
        var runner = new FakeSalRunner(_db.Entries) { RefuseContaining = Spam };
        var publisher = Publisher(runner);
        var refusedEvents = new List<SalRefused>();
        publisher.Refused += (_, e) => refusedEvents.Add(e);
        var ids = new List<long>();
        for (var i = 0; i < 8; i++)
            ids.Add(await AddAsync(i == 5 ? $"deployed {Spam} build" : $"entry {i}"));

        (await publisher.PublishProjectAsync("tools", _stop.Token)).ShouldBeTrue();

        var bad = await StateAsync(ids[5]);
        bad.State.ShouldBe(SalEntryState.Refused);
        bad.Reason.ShouldNotBeNull().ShouldStartWith("spamprotectionmatch: ");
        bad.Reason.ShouldContain(Spam);
        bad.StateUtc.ShouldNotBeNull();
        foreach (var id in ids.Where(i => i != ids[5]))
            (await StateAsync(id)).State.ShouldBe(SalEntryState.Published);
        runner.PageText("tools").ShouldNotBeNull().ShouldNotContain(Spam);
        runner.PageText("tools")!.ShouldContain("entry 7");
        refusedEvents.ShouldHaveSingleItem().Entries.ShouldHaveSingleItem().Id.ShouldBe(ids[5]);
        // The whole batch, the page without the batch, then halves: about log2(8) tries for one bad entry, not 8;
        // then the recent log and archives once.
        runner.Requests.Count(r => r.Jobs.Order(StringComparer.Ordinal).SequenceEqual(["sal", "sal-archive"])).ShouldBeLessThanOrEqualTo(2 + 2 * 3);
        runner.Requests.Count(r => !r.Jobs.Contains("sal")).ShouldBe(1);
    }

    [Fact]
    public async Task Two_refused_entries_are_both_found_and_the_rest_publish()
    {
        var runner = new FakeSalRunner(_db.Entries) { RefuseContaining = Spam };
        var publisher = Publisher(runner);
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
            ids.Add(await AddAsync(i is 0 or 4 ? $"{Spam} {i}" : $"fine {i}"));

        (await publisher.PublishProjectAsync("tools", _stop.Token)).ShouldBeTrue();

        (await _db.Entries.ListStatedAsync("tools", [SalEntryState.Refused], 10, _stop.Token)).Select(e => e.Entry.Id).ShouldBe([ids[4], ids[0]]);
        (await _db.Entries.ListUnpublishedAsync("tools", _stop.Token)).ShouldBeEmpty();
        (await _db.Entries.ListAsync("tools", null, _stop.Token)).Count.ShouldBe(4);
    }

    [Fact]
    public async Task A_single_refused_entry_costs_one_refused_edit_and_is_not_tried_again_by_the_sweep()
    {
        var runner = new FakeSalRunner(_db.Entries) { RefuseContaining = Spam };
        var publisher = Publisher(runner);
        await AddAsync("fine before");
        await publisher.PublishProjectAsync("tools", _stop.Token);
        var bad = await AddAsync($"{Spam} alone");

        (await publisher.PublishProjectAsync("tools", _stop.Token)).ShouldBeTrue();
        var tries = runner.Requests.Count;
        runner.Refusals.ShouldBe(1);
        (await StateAsync(bad)).State.ShouldBe(SalEntryState.Refused);

        // Nothing waits, so neither the sweep nor another pass asks the wiki again for it.
        (await _db.Entries.ProjectsWithUnpublishedAsync(_stop.Token)).ShouldBeEmpty();
        (await publisher.PublishProjectAsync("tools", _stop.Token)).ShouldBeTrue();
        await publisher.SweepAsync(_stop.Token);
        runner.Requests.Count.ShouldBe(tries);
        runner.Refusals.ShouldBe(1);
        (await _db.Entries.SummarizeUnpublishedAsync(_stop.Token)).Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_page_the_wiki_refuses_even_without_the_new_entries_blames_none_of_them()
    {
        var runner = new FakeSalRunner(_db.Entries) { RefuseContaining = "Spam-in-the-old-log" };
        var publisher = Publisher(runner);
        await AddAsync("the Spam-in-the-old-log was published before the filter");
        await _db.Entries.MarkPublishedAsync([.. (await _db.Entries.ListUnpublishedAsync("tools", _stop.Token)).Select(e => e.Id)], 1, DateTimeOffset.UtcNow, _stop.Token);
        var innocent = await AddAsync("an innocent entry");

        (await publisher.PublishProjectAsync("tools", _stop.Token)).ShouldBeFalse();

        (await StateAsync(innocent)).State.ShouldBe(SalEntryState.Waiting);
        (await _db.Entries.ListStatedAsync(null, [SalEntryState.Refused], 10, _stop.Token)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Retry_makes_a_refused_entry_wait_again_and_it_publishes_once_the_wiki_takes_it()
    {
        var runner = new FakeSalRunner(_db.Entries) { RefuseContaining = Spam };
        var publisher = Publisher(runner);
        var bad = await AddAsync($"{Spam} retried");
        await publisher.PublishProjectAsync("tools", _stop.Token);
        (await StateAsync(bad)).State.ShouldBe(SalEntryState.Refused);

        runner.RefuseContaining = null;
        var retried = await _db.Entries.RetryAsync(bad, _stop.Token);
        retried.Changed.ShouldBeTrue();
        retried.Entry!.State.ShouldBe(SalEntryState.Waiting);
        retried.Entry.Reason.ShouldBeNull();
        (await publisher.PublishProjectAsync("tools", _stop.Token)).ShouldBeTrue();

        (await StateAsync(bad)).State.ShouldBe(SalEntryState.Published);
        runner.PageText("tools")!.ShouldContain($"{Spam} retried");
    }

    [Fact]
    public async Task A_hidden_entry_is_dropped_from_its_page_by_the_next_render_and_stays_in_the_store()
    {
        var runner = new FakeSalRunner(_db.Entries);
        var publisher = Publisher(runner);
        var secret = await AddAsync("password is hunter2");
        await AddAsync("kept");
        await publisher.PublishProjectAsync("tools", _stop.Token);
        runner.PageText("tools")!.ShouldContain("hunter2");

        (await _db.Entries.HideAsync(secret, DateTimeOffset.UtcNow, _stop.Token)).Changed.ShouldBeTrue();
        (await publisher.RenderAgainAsync("tools", "Server Admin Log entry hidden", _stop.Token)).ShouldBeTrue();

        runner.PageText("tools")!.ShouldNotContain("hunter2");
        runner.PageText("tools")!.ShouldContain("kept");
        (await StateAsync(secret)).State.ShouldBe(SalEntryState.Hidden);
        (await _db.Entries.HideAsync(secret, DateTimeOffset.UtcNow, _stop.Token)).Changed.ShouldBeFalse();
    }

    [Fact]
    public async Task The_publisher_loop_publishes_the_others_at_once_and_leaves_the_refused_one_alone()
    {
        var runner = new FakeSalRunner(_db.Entries) { RefuseContaining = Spam };
        var publisher = Publisher(runner);
        var intake = SalTestData.Intake(_db.Entries, publisher);
        var loop = publisher.RunAsync(_stop.Token);

        await intake.SubmitAsync(new LogSubmission("tools", "first fine", "alice", "#ops"), _stop.Token);
        await intake.SubmitAsync(new LogSubmission("tools", $"{Spam} in the loop", "bob", "#ops"), _stop.Token);
        await intake.SubmitAsync(new LogSubmission("tools", "second fine", "alice", "#ops"), _stop.Token);
        while ((await _db.Entries.ProjectsWithUnpublishedAsync(_stop.Token)).Count > 0
            || (await _db.Entries.ListStatedAsync("tools", [SalEntryState.Refused], 5, _stop.Token)).Count == 0)
            await Task.Delay(20, _stop.Token);

        (await _db.Entries.ListStatedAsync("tools", [SalEntryState.Refused], 5, _stop.Token)).ShouldHaveSingleItem().Entry.Author.ShouldBe("bob");
        runner.PageText("tools")!.ShouldContain("second fine");
        await _stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => loop);
    }
}
