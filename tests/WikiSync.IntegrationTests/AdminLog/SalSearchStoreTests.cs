using WikiSync.AdminLog;
using WikiSync.AdminLog.Search;
using WikiSync.IntegrationTests.Support;
using WikiSync.Storage;

namespace WikiSync.IntegrationTests.AdminLog;

/// <summary>The search of issue 14 §6 gives the same answers on SQLite (FTS5) and PostgreSQL (full text).</summary>
[Collection(PostgresCollection.Name)]
public sealed class SalSearchStoreTests(PostgresFixture postgres) : IDisposable
{
    private static CancellationToken Ct => CancellationToken.None;
    private readonly string _folder = Directory.CreateTempSubdirectory("wikisync-search-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    public static TheoryData<string> Engines => new() { "sqlite", "postgres" };

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Words_project_author_and_dates_find_the_same_entries_on_both_engines(string engine)
    {
        IStore store = engine == "sqlite" ? new SqliteStore(_folder) : new PostgresStore(await postgres.NewDatabaseAsync());
        var entries = new LogEntryStore(store);
        var t0 = new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.Zero);
        // Entries before the index exists are indexed by the migration, later ones as they are stored.
        await new Migrator(store, [.. Migrations.All.Where(m => m.Version < 5)]).MigrateAsync(Ct);
        await entries.AddAsync(new NewLogEntry("k1", "tools", "alice", "restarted nginx on proxy-01", "#ops", t0), Ct);
        await new Migrator(store).MigrateAsync(Ct);
        await entries.AddAsync(new NewLogEntry("k2", "tools", "bob", "Restarted the grid; nginx untouched", "#ops", t0.AddDays(1)), Ct);
        await entries.AddAsync(new NewLogEntry("k3", "deployment-prep", "alice", "restarted nginx in beta", "#ops", t0.AddDays(2)), Ct);
        var search = new SalSearchStore(store);

        (await search.SearchAsync(new SalQuery("restarted nginx"), Ct)).Entries.Select(e => e.Id).ShouldBe([3L, 2L, 1L]);
        (await search.SearchAsync(new SalQuery("nginx", Project: "tools", Author: "ALICE"), Ct)).Entries.ShouldHaveSingleItem().Id.ShouldBe(1);
        (await search.SearchAsync(new SalQuery("grid", From: t0.AddHours(1), Until: t0.AddDays(2)), Ct)).Entries.ShouldHaveSingleItem().Id.ShouldBe(2);
        (await search.SearchAsync(new SalQuery("\" OR -x"), Ct)).Entries.ShouldBeEmpty();
    }
}
