using WikiSync.Storage;

namespace WikiSync.IntegrationTests.Hosting;

[CollectionDefinition(Name)]
public sealed class HostingProcessesCollection
{
    /// <summary>Tests that run <c>wikisync run</c> processes: one at a time, they time things.</summary>
    public const string Name = "wikisync run processes";
}

/// <summary><c>wikisync run</c> as a process on SQLite against the real local wiki.</summary>
[Collection(HostingProcessesCollection.Name)]
public sealed class ScheduledRunTests
{
    private static async Task<int> BotRevisionsAsync(TestWiki wiki, string title) => (await wiki.RevisionsAsync(title)).Count(r => r.User.StartsWith("WikiSyncBot", StringComparison.Ordinal));

    private static DateTimeOffset ScheduledFor((string Job, string ScheduledFire) firing) =>
        DateTimeOffset.Parse(firing.ScheduledFire, System.Globalization.CultureInfo.InvariantCulture);

    internal static async Task WaitUntil(Func<Task<bool>> condition, TimeSpan limit, Func<string> explain)
    {
        var until = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"not within {limit}: {explain()}");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task A_one_second_job_edits_the_page_when_the_source_changes_and_not_otherwise()
    {
        using var work = new HostingWorkspace("1s");
        using var editor = await work.EditorWithInitialPageAsync();
        await work.MigrateAsync();
        await using var node = WikiSyncNode.Start("node", work.Environment(), 0, "run");

        await WaitUntil(async () => await BotRevisionsAsync(editor, work.Page) == 1, TimeSpan.FromSeconds(30), () => node.Output);
        var text = (await editor.RevisionsAsync(work.Page))[^1].Text;
        text.ShouldContain("Description: first description");
        text.ShouldStartWith("Hand-written intro.\n<!-- wikisync:begin desc -->");
        text.ShouldEndWith("<!-- wikisync:end desc -->\nHand-written outro.");

        // Several ticks with nothing changed: no edit.
        var fired = node.Firings().Count;
        await WaitUntil(() => Task.FromResult(node.Firings().Count >= fired + 3), TimeSpan.FromSeconds(20), () => node.Output);
        (await BotRevisionsAsync(editor, work.Page)).ShouldBe(1);

        work.SetDescription("second description");
        await WaitUntil(async () => await BotRevisionsAsync(editor, work.Page) == 2, TimeSpan.FromSeconds(20), () => node.Output);
        (await editor.RevisionsAsync(work.Page))[^1].Text.ShouldContain("Description: second description");
        fired = node.Firings().Count;
        await WaitUntil(() => Task.FromResult(node.Firings().Count >= fired + 3), TimeSpan.FromSeconds(20), () => node.Output);
        (await BotRevisionsAsync(editor, work.Page)).ShouldBe(2);
    }

    [Fact]
    public async Task After_a_restart_with_missed_ticks_the_job_runs_once()
    {
        using var work = new HostingWorkspace("3s");
        using var editor = await work.EditorWithInitialPageAsync();
        await work.MigrateAsync();
        await using (var first = WikiSyncNode.Start("first", work.Environment(), 0, "run"))
        {
            await WaitUntil(() => Task.FromResult(first.Firings().Count >= 1), TimeSpan.FromSeconds(30), () => first.Output);
            await first.StopAsync();
        }

        // About four ticks missed while nobody runs.
        await Task.Delay(TimeSpan.FromSeconds(12));

        var restarted = DateTimeOffset.UtcNow;
        await using var second = WikiSyncNode.Start("second", work.Environment(), 0, "run");
        await WaitUntil(() => Task.FromResult(second.Firings().Count >= 2), TimeSpan.FromSeconds(30), () => second.Output);
        // Read from the scheduled times each firing logs, not from how many came within some seconds:
        // at most one run for all the missed ticks, then the schedule goes on from now.
        var fired = second.Firings();
        fired.Count(f => ScheduledFor(f) < restarted).ShouldBeLessThanOrEqualTo(1, second.Output);
        var times = fired.Select(ScheduledFor).Order().ToList();
        times.Zip(times.Skip(1), (a, b) => b - a).ShouldAllBe(gap => gap >= TimeSpan.FromSeconds(2.9), second.Output);
    }

    [Fact]
    public async Task With_the_shutoff_page_set_nothing_is_edited_and_edits_resume_when_it_is_emptied()
    {
        using var work = new HostingWorkspace("1s");
        using var editor = await work.EditorWithInitialPageAsync();
        await work.MigrateAsync();
        await editor.EditAsync(work.ShutoffPage, "Stop: the tables look wrong.");
        var port = FreePortForTests();
        await using var node = WikiSyncNode.Start("node", work.Environment(), port, "run");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        await WaitUntil(() => Task.FromResult(node.Firings().Count >= 4), TimeSpan.FromSeconds(30), () => node.Output);
        (await BotRevisionsAsync(editor, work.Page)).ShouldBe(0);
        await WaitUntil(async () => (await http.GetStringAsync("/")).Contains("Emergency stop engaged", StringComparison.Ordinal), TimeSpan.FromSeconds(20), () => node.Output);
        node.Output.ShouldContain("Emergency stop engaged");

        await editor.EditAsync(work.ShutoffPage, "");
        await WaitUntil(async () => await BotRevisionsAsync(editor, work.Page) == 1, TimeSpan.FromSeconds(30), () => node.Output);
        (await editor.RevisionsAsync(work.Page))[^1].Text.ShouldContain("Description: first description");
    }

    [Fact]
    public async Task The_first_run_on_a_fresh_state_folder_creates_the_sqlite_schema_and_starts()
    {
        using var work = new HostingWorkspace("1s");
        using var editor = await work.EditorWithInitialPageAsync();
        var port = FreePortForTests();
        await using var node = WikiSyncNode.Start("node", work.Environment(), port, "run");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        await WaitUntil(async () => await AnswersAsync(http, "/healthz"), TimeSpan.FromSeconds(60), () => node.Output);
        (await http.GetStringAsync("/")).ShouldContain("desc");
        await WaitUntil(async () => await BotRevisionsAsync(editor, work.Page) == 1, TimeSpan.FromSeconds(30), () => node.Output);
        await node.StopAsync(TimeSpan.FromSeconds(60));
        node.ExitCode.ShouldBe(0, node.Output);
        var store = new SqliteStore(work.Environment()["WIKISYNC_DATA"]);
        (await new Migrator(store).StatusAsync(CancellationToken.None)).IsCurrent.ShouldBeTrue();
    }

    [Fact]
    public async Task Run_refuses_a_store_whose_schema_is_older_exits_2_and_says_what_to_run()
    {
        using var work = new HostingWorkspace("1s");
        var store = new SqliteStore(work.Environment()["WIKISYNC_DATA"]);
        await new Migrator(store, Migrations.All.Take(1).ToList()).MigrateAsync(CancellationToken.None);

        var (code, output) = await WikiSyncNode.RunAsync(work.Environment(), "run");

        code.ShouldBe(2, output);
        output.ShouldContain("run `wikisync store migrate`");
        (await new Migrator(store).StatusAsync(CancellationToken.None)).Current.ShouldBe(1, "run never upgrades a schema itself");
    }

    [Fact]
    public async Task Run_refuses_a_postgresql_store_without_schema_exits_2_and_says_what_to_run()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var work = new HostingWorkspace("1s", db.ConnectionString);

        var (code, output) = await WikiSyncNode.RunAsync(work.Environment(), "run");

        code.ShouldBe(2, output);
        output.ShouldContain("run `wikisync store migrate`");
        await using var store = new PostgresStore(db.ConnectionString);
        (await new Migrator(store).StatusAsync(CancellationToken.None)).Current.ShouldBe(0, "a shared store gets its schema from `store migrate` only");
    }

    [Fact]
    public async Task Sigterm_stops_the_host_cleanly()
    {
        using var work = new HostingWorkspace("1s");
        using var editor = await work.EditorWithInitialPageAsync();
        await work.MigrateAsync();
        await using var node = WikiSyncNode.Start("node", work.Environment(), 0, "run");
        await WaitUntil(() => Task.FromResult(node.Firings().Count >= 2), TimeSpan.FromSeconds(30), () => node.Output);
        await node.StopAsync(TimeSpan.FromSeconds(60));
        node.ExitCode.ShouldBe(0, node.Output);
        node.Output.ShouldNotContain("Unhandled exception");
    }

    private static async Task<bool> AnswersAsync(HttpClient http, string path)
    {
        try
        {
            return (await http.GetAsync(path)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    internal static int FreePortForTests()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
