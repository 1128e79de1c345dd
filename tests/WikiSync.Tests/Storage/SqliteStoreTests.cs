using Dapper;
using WikiSync.Storage;

namespace WikiSync.Tests.Storage;

public sealed class SqliteStoreTests : IDisposable
{
    private static CancellationToken Ct => CancellationToken.None;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "wikisync-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Store_file_is_wikisync_db_in_the_state_folder_in_wal_mode()
    {
        var store = new SqliteStore(_folder);
        await using var connection = await store.OpenAsync(Ct);
        (await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode")).ShouldBe("wal");
        (await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout")).ShouldBeGreaterThan(0);
        File.Exists(Path.Combine(_folder, "wikisync.db")).ShouldBeTrue();
    }

    [Fact]
    public async Task Migrate_creates_the_tables_and_records_the_version()
    {
        var store = new SqliteStore(_folder);
        var migrator = new Migrator(store);
        (await migrator.StatusAsync(Ct)).Current.ShouldBe(0);

        var applied = await migrator.MigrateAsync(Ct);

        applied.Select(m => m.Version).ShouldBe(Migrations.All.Select(m => m.Version));
        var status = await migrator.StatusAsync(Ct);
        status.Current.ShouldBe(status.Latest);
        await using var connection = await store.OpenAsync(Ct);
        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToList();
        tables.ShouldContain("sal_entries");
        tables.ShouldContain("placed_sections");
        tables.ShouldContain("edit_log");
        tables.ShouldContain("schema_version");
    }

    [Fact]
    public async Task Migrate_run_twice_applies_nothing_the_second_time()
    {
        var store = new SqliteStore(_folder);
        await new Migrator(store).MigrateAsync(Ct);

        var second = await new Migrator(store).MigrateAsync(Ct);

        second.ShouldBeEmpty();
        await using var connection = await store.OpenAsync(Ct);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_version")).ShouldBe(Migrations.All.Count);
    }

    [Fact]
    public async Task Older_schema_is_refused_with_the_command_to_run()
    {
        var store = new SqliteStore(_folder);
        await new Migrator(store, Migrations.All).MigrateAsync(Ct);
        var newer = Migrations.All.Append(new Migration(Migrations.Latest + 1, "extra", "CREATE TABLE extra (id {identity})")).ToList();

        var refusal = await Should.ThrowAsync<SchemaOutOfDateException>(() => new Migrator(store, newer).PrepareAsync(StoreUser.Service, Ct));

        refusal.Message.ShouldContain("run `wikisync store migrate`");
        (await new Migrator(store, newer).MigrateAsync(Ct)).Single().Name.ShouldBe("extra");
        (await new Migrator(store, newer).StatusAsync(Ct)).IsCurrent.ShouldBeTrue();
    }

    [Fact]
    public async Task A_failing_migration_names_itself_and_leaves_the_version_unchanged()
    {
        var store = new SqliteStore(_folder);
        var broken = Migrations.All.Append(new Migration(Migrations.Latest + 1, "broken", "CREATE TABLE nonsense (")).ToList();

        var failure = await Should.ThrowAsync<InvalidOperationException>(() => new Migrator(store, broken).MigrateAsync(Ct));

        failure.Message.ShouldContain("broken");
        (await new Migrator(store).StatusAsync(Ct)).Current.ShouldBe(0);
    }

    [Fact]
    public void Migrations_out_of_order_are_rejected() =>
        Should.Throw<InvalidOperationException>(() => new Migrator(new SqliteStore(_folder), [new(2, "b", ""), new(1, "a", "")]));

    [Fact]
    public void Timestamps_round_trip_through_both_dialects()
    {
        var instant = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1234567);
        Dialect.FromDb(SqlDialect.Sqlite.ToDb(instant)).ShouldBe(instant);
        Dialect.FromDb(SqlDialect.PostgreSql.ToDb(instant)).ShouldBe(instant);
        Dialect.FromDb(SqlDialect.Sqlite.ToDb(instant)).Offset.ShouldBe(TimeSpan.Zero);
    }
}
