using Dapper;
using WikiSync.AdminLog;
using WikiSync.IntegrationTests.Support;
using WikiSync.Storage;

namespace WikiSync.IntegrationTests.Storage;

/// <summary>The same store code on the real PostgreSQL 15: migrations, entries, timestamps.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresFixture postgres)
{
    private static CancellationToken Ct => CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2025, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Fact]
    public async Task Migrate_creates_the_schema_and_a_second_run_applies_nothing()
    {
        await using var store = new PostgresStore(await postgres.NewDatabaseAsync());
        var migrator = new Migrator(store);
        (await migrator.StatusAsync(Ct)).Current.ShouldBe(0);

        (await migrator.MigrateAsync(Ct)).Count.ShouldBe(Migrations.All.Count);
        (await migrator.MigrateAsync(Ct)).ShouldBeEmpty();

        (await migrator.StatusAsync(Ct)).IsCurrent.ShouldBeTrue();
        await using var connection = await store.OpenAsync(Ct);
        var tables = (await connection.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).ToList();
        tables.ShouldContain("sal_entries");
        tables.ShouldContain("placed_sections");
        tables.ShouldContain("edit_log");
        tables.ShouldContain("schema_version");
    }

    [Fact]
    public async Task Pending_refreshes_keep_the_latest_ask_and_a_refresh_started_before_it_leaves_the_row()
    {
        await using var store = new PostgresStore(await postgres.NewDatabaseAsync());
        await new Migrator(store).MigrateAsync(Ct);
        var pending = new PendingRefreshesStore(store);
        await pending.AddAsync("bots", "instances", T0, Ct);
        await pending.AddAsync("bots", "instances", T0.AddSeconds(5), Ct);
        await pending.AddAsync("*", "projects", T0.AddSeconds(1), Ct);

        (await pending.OlderThanAsync(T0.AddSeconds(10), Ct)).ShouldBe([new("*", "projects", T0.AddSeconds(1)), new("bots", "instances", T0.AddSeconds(5))]);
        await pending.DoneAsync("bots", "instances", T0.AddSeconds(2), Ct);
        (await pending.OlderThanAsync(T0.AddSeconds(10), Ct)).Count.ShouldBe(2);
        await pending.DoneAsync("bots", "instances", T0.AddSeconds(5), Ct);
        (await pending.OlderThanAsync(T0.AddSeconds(10), Ct)).ShouldHaveSingleItem().Project.ShouldBe("*");
    }

    [Fact]
    public async Task Nodes_migrating_at_once_apply_each_step_once()
    {
        await using var store = new PostgresStore(await postgres.NewDatabaseAsync());
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new Migrator(store).MigrateAsync(Ct))));
        runs.Sum(r => r.Count).ShouldBe(Migrations.All.Count);
        (await new Migrator(store).StatusAsync(Ct)).IsCurrent.ShouldBeTrue();
    }

    [Fact]
    public async Task Entries_round_trip_with_utc_times_and_are_stored_once_per_key()
    {
        await using var store = new PostgresStore(await postgres.NewDatabaseAsync());
        await new Migrator(store).MigrateAsync(Ct);
        var entries = new LogEntryStore(store);
        var at = T0.AddTicks(1234560); // PostgreSQL keeps microseconds

        var (first, added) = await entries.AddAsync(new NewLogEntry("k1", "tools", "alice", "restarted \u202Ertl ''quotes''", "#ops", at), Ct);
        var (again, addedAgain) = await entries.AddAsync(new NewLogEntry("k1", "tools", "alice", "restarted \u202Ertl ''quotes''", "#ops", at), Ct);
        await entries.AddAsync(new NewLogEntry("k2", "tools", "bob", "later", "#ops", at.AddMinutes(1)), Ct);

        added.ShouldBeTrue();
        addedAgain.ShouldBeFalse();
        again.Id.ShouldBe(first.Id);
        var listed = await entries.ListAsync("tools", null, Ct);
        listed.Select(e => e.Message).ShouldBe(["later", "restarted \u202Ertl ''quotes''"]);
        listed[1].ReceivedUtc.ShouldBe(at);
        (await entries.ListAsync("tools", at.AddSeconds(30), Ct)).Count.ShouldBe(1);
        var many = await entries.ListManyAsync(["tools", "quiet"], null, Ct);
        many["tools"].ShouldBe(listed);
        many["quiet"].ShouldBeEmpty();
        var months = await entries.MonthsBeforeManyAsync(["tools", "quiet"], at.AddMonths(1), Ct);
        months["tools"].ShouldBe(await entries.MonthsBeforeAsync("tools", at.AddMonths(1), Ct));
        months["tools"].ShouldNotBeEmpty();
        months["quiet"].ShouldBeEmpty();

        (await entries.MarkPublishedAsync([first.Id], 77, T0, Ct)).ShouldBe(1);
        (await entries.SummarizeUnpublishedAsync(Ct)).ShouldBe(new UnpublishedSummary(1, at.AddMinutes(1)));
        (await entries.ProjectsWithUnpublishedAsync(Ct)).ShouldBe(["tools"]);
    }

    [Fact]
    public async Task Placed_sections_and_edit_log_work_on_postgres()
    {
        await using var store = new PostgresStore(await postgres.NewDatabaseAsync());
        await new Migrator(store).MigrateAsync(Ct);
        var placed = new PlacedSectionsStore(store, TimeProvider.System);
        await placed.RecordAsync("P", ["a", "b"], Ct);
        await placed.RecordAsync("P", ["b"], Ct);
        (await placed.PlacedAsync("P", Ct)).Count.ShouldBe(2);

        var log = new EditLogStore(store, TimeProvider.System);
        await log.RecordAsync("P", 5, "update a", ["a"], "instances", Ct);
        await log.RecordAsync("Q", null, "update b", ["b"], null, Ct);
        (await log.RecentAsync(10, Ct)).Select(e => e.Page).ShouldBe(["Q", "P"]);
        (await log.TrimAsync(1, Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task Written_sections_and_human_edits_work_on_postgres()
    {
        await using var store = new PostgresStore(await postgres.NewDatabaseAsync());
        await new Migrator(store).MigrateAsync(Ct);
        var written = new WrittenSectionsStore(store, TimeProvider.System);
        await written.RecordAsync([new("P", "a", "h1", 5), new("P", "b", "h2", 5)], Ct);
        await written.RecordAsync([new("P", "a", "h1", 5) { HeldRender = "h3", HeldUser = "Editor", HeldRevision = 6 }], Ct);
        (await written.FindAsync(["P", "Q"], Ct)).OrderBy(r => r.Section, StringComparer.Ordinal).ShouldBe(
        [
            new("P", "a", "h1", 5) { HeldRender = "h3", HeldUser = "Editor", HeldRevision = 6 },
            new("P", "b", "h2", 5),
        ]);

        var log = new EditLogStore(store, TimeProvider.System);
        await log.RecordHumanEditAsync(new("P", "a", "Editor", 6, "held", "instances"), Ct);
        await log.RecordHumanEditAsync(new("P", "a", "Editor", 6, "replaced", "instances"), Ct);
        (await log.RecentHumanEditsAsync(10, Ct)).Select(e => e.Action).ShouldBe(["replaced", "held"]);
        (await log.TrimHumanEditsAsync(1, Ct)).ShouldBe(1);
    }

    [Fact]
    public void Bad_connection_string_is_refused_without_echoing_it()
    {
        var error = Should.Throw<ArgumentException>(() => new PostgresStore("Host=x;Password=hunter2;Nonsense Key=1"));
        error.Message.ShouldNotContain("hunter2");
    }
}
