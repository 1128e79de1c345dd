using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WikiSync.Jobs;
using WikiSync.Model;
using WikiSync.Notifications;
using WikiSync.Scheduling;
using WikiSync.Sources;
using WikiSync.Storage;
using WikiSync.Sync;
using WikiSync.Testing;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Notifications;

/// <summary>The handler and the refresher together, on a real SQLite store and a fake clock, source and runner.</summary>
public sealed class NotificationHandlerTests : IAsyncDisposable
{
    private const string BotsId = "a80600d6ab904b7b9a9e547bffcef0ad";
    private static CancellationToken Ct => CancellationToken.None;

    private readonly TempSalStore _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingMetrics _metrics = new();
    private readonly RecordingSyncRunner _runner = new();
    private readonly FakeInventorySource _source = new(new Inventory([Builders.Project("bots") with { Id = BotsId }, Builders.Project("tools") with { Id = "t00l5" }]));
    private readonly PendingRefreshesStore _pending;
    private readonly RefreshDebouncer _debouncer;
    private readonly NotificationHandler _handler;
    private readonly NotificationState _state = new(configured: true);
    private readonly List<Task<bool>> _runs = [];

    public NotificationHandlerTests()
    {
        _pending = new PendingRefreshesStore(_db.Store);
        var catalog = new JobCatalog(
        [
            Builders.Job("instances", "instances") with { RefreshOn = [RefreshTrigger.Instances, RefreshTrigger.Projects] },
            Builders.Job("members", "members") with { RefreshOn = [RefreshTrigger.Projects] },
            Builders.Job("sal", "sal"),
        ], []);
        var refresher = new NotificationRefresher(_runner, new JobRunHistory(), _metrics, catalog, _pending, _time, NullLogger<NotificationRefresher>.Instance);
        _debouncer = new RefreshDebouncer(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2), _time, (target, ct) =>
        {
            var run = refresher.RefreshAsync(target, ct);
            lock (_runs)
                _runs.Add(run);
            return run;
        });
        _handler = new NotificationHandler(new InventoryProjectCatalog(_source, _time), _pending, _debouncer, _state, _metrics, _time, NullLogger<NotificationHandler>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _debouncer.DisposeAsync();
        _db.Dispose();
    }

    private static byte[] Server(string eventType, string tenant) =>
        Encoding.UTF8.GetBytes($$$$"""{"event_type": "{{{{eventType}}}}", "payload": {"nova_object.data": {"tenant_id": "{{{{tenant}}}}"}}}""");

    private static byte[] Keystone(string eventType, string project) =>
        Encoding.UTF8.GetBytes($$$"""{"event_type": "{{{eventType}}}", "payload": {"resource_info": "{{{project}}}"}}""");

    private async Task<bool[]> RunDueAsync()
    {
        _time.Advance(TimeSpan.FromSeconds(2));
        Task<bool>[] runs;
        lock (_runs)
            runs = [.. _runs];
        return await Task.WhenAll(runs);
    }

    [Fact]
    public async Task A_burst_of_server_events_is_stored_pending_then_runs_the_refresh_on_instances_jobs_of_that_project_once()
    {
        for (var i = 0; i < 10; i++)
            await _handler.HandleAsync(Server("instance.create.end", BotsId), Ct);

        (await _pending.OlderThanAsync(_time.GetUtcNow().AddSeconds(1), Ct)).ShouldHaveSingleItem().ShouldBe(new PendingRefresh("bots", "instances", _time.GetUtcNow()));
        (await RunDueAsync()).ShouldBe([true]);

        var request = _runner.Requests.ShouldHaveSingleItem();
        request.Jobs.ShouldBe(["instances"]);
        request.Projects.ShouldBe(["bots"]);
        request.DryRun.ShouldBeFalse();
        (await _pending.OlderThanAsync(_time.GetUtcNow().AddSeconds(1), Ct)).ShouldBeEmpty();
        _metrics.Calls.Count(c => c == "notification instance.create.end queued").ShouldBe(10);
        _state.Snapshot().Last.ShouldBe(new LastNotification("instance.create.end", "bots", "queued", _time.GetUtcNow() - TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_refresh_that_fails_stays_pending_for_the_sweep()
    {
        _runner.Answer = (_, _) => Task.FromResult(new SyncReport([new PageOutcome("Nova Resource:bots", PageAction.Failed, ["instances"], "wiki down")], []));
        await _handler.HandleAsync(Server("instance.delete.end", BotsId), Ct);

        (await RunDueAsync()).ShouldBe([false]);

        (await _pending.OlderThanAsync(_time.GetUtcNow(), Ct)).ShouldHaveSingleItem().Project.ShouldBe("bots");
    }

    [Fact]
    public async Task A_project_created_in_keystone_refreshes_the_refresh_on_projects_jobs_of_every_project()
    {
        await _handler.HandleAsync(Keystone("identity.project.created", "n3w"), Ct);

        (await RunDueAsync()).ShouldBe([true]);

        var request = _runner.Requests.ShouldHaveSingleItem();
        request.Jobs.ShouldBe(["instances", "members"]);
        request.Projects.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_project_deleted_in_keystone_is_reported_and_nothing_is_refreshed()
    {
        await _handler.HandleAsync(Keystone("identity.project.deleted", BotsId), Ct);

        (await RunDueAsync()).ShouldBeEmpty();
        _metrics.Calls.ShouldContain("notification identity.project.deleted reported");
        (await _pending.OlderThanAsync(_time.GetUtcNow(), Ct)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("garbage", "notification (none) malformed")]
    [InlineData("""{"event_type": "made.up.event"}""", "notification made.up.event unknown")]
    [InlineData("""{"event_type": "instance.create.start", "payload": {"nova_object.data": {"tenant_id": "a80600d6ab904b7b9a9e547bffcef0ad"}}}""", "notification instance.create.start ignored")]
    [InlineData("""{"event_type": "instance.create.end", "payload": {"nova_object.data": {"tenant_id": "n0t-h3r3"}}}""", "notification instance.create.end not_in_inventory")]
    public async Task Bad_input_is_counted_and_nothing_is_stored_or_run(string body, string counted)
    {
        await _handler.HandleAsync(Encoding.UTF8.GetBytes(body), Ct);

        _metrics.Calls.ShouldBe([counted]);
        (await RunDueAsync()).ShouldBeEmpty();
        (await _pending.OlderThanAsync(_time.GetUtcNow(), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_server_of_a_project_created_a_moment_ago_is_found_by_collecting_again()
    {
        await _handler.HandleAsync(Server("instance.create.end", BotsId), Ct);
        _source.Inventory = new Inventory([.. _source.Inventory.Projects, Builders.Project("fresh") with { Id = "fr35h" }]);
        _time.Advance(InventoryProjectCatalog.MissRetry);

        await _handler.HandleAsync(Server("instance.create.end", "fr35h"), Ct);

        _metrics.Calls.Where(c => c.StartsWith("notification ", StringComparison.Ordinal))
            .ShouldBe(["notification instance.create.end queued", "notification instance.create.end queued"]);
        _source.Collections.ShouldBe(2);
    }

    [Fact]
    public async Task While_the_source_is_down_a_server_event_asks_for_every_projects_instances()
    {
        _source.Failure = new SourceException("keystone is down");

        await _handler.HandleAsync(Server("instance.create.end", BotsId), Ct);

        (await _pending.OlderThanAsync(_time.GetUtcNow().AddSeconds(1), Ct)).ShouldHaveSingleItem().Project.ShouldBe(RefreshTarget.AllProjects);
    }

    [Fact]
    public async Task An_ask_after_a_refresh_started_keeps_its_row_when_that_refresh_ends()
    {
        var started = _time.GetUtcNow();
        await _pending.AddAsync("bots", "instances", started.AddSeconds(1), Ct);

        await _pending.DoneAsync("bots", "instances", started, Ct);

        (await _pending.OlderThanAsync(started.AddSeconds(2), Ct)).ShouldHaveSingleItem();
    }
}
