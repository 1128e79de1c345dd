using WikiSync.Storage;

namespace WikiSync.Tests.Storage;

/// <summary>The one rule of who may create or upgrade a schema without <c>wikisync store migrate</c> (issue 16).</summary>
public sealed class MigratorTests : IDisposable
{
    private static CancellationToken Ct => CancellationToken.None;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "wikisync-migrator-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData(SqlDialect.Sqlite, 0, StoreUser.Service, true)]
    [InlineData(SqlDialect.Sqlite, 0, StoreUser.Command, true)]
    [InlineData(SqlDialect.Sqlite, 1, StoreUser.Service, false)]
    [InlineData(SqlDialect.Sqlite, 1, StoreUser.Command, true)]
    [InlineData(SqlDialect.PostgreSql, 0, StoreUser.Service, false)]
    [InlineData(SqlDialect.PostgreSql, 0, StoreUser.Command, true)]
    [InlineData(SqlDialect.PostgreSql, 1, StoreUser.Service, false)]
    [InlineData(SqlDialect.PostgreSql, 1, StoreUser.Command, false)]
    public void Who_may_create_or_upgrade_a_schema_on_the_spot(SqlDialect dialect, int current, StoreUser user, bool may) =>
        Migrator.MayMigrate(dialect, new SchemaStatus(current, 3), user).ShouldBe(may);

    [Theory]
    [InlineData(SqlDialect.Sqlite, StoreUser.Service)]
    [InlineData(SqlDialect.Sqlite, StoreUser.Command)]
    [InlineData(SqlDialect.PostgreSql, StoreUser.Command)]
    public void A_schema_that_is_current_or_newer_than_this_build_is_never_migrated(SqlDialect dialect, StoreUser user)
    {
        Migrator.MayMigrate(dialect, new SchemaStatus(3, 3), user).ShouldBeFalse();
        Migrator.MayMigrate(dialect, new SchemaStatus(4, 3), user).ShouldBeFalse();
    }

    [Fact]
    public async Task The_service_creates_the_schema_of_an_empty_sqlite_store()
    {
        var migrator = new Migrator(new SqliteStore(_folder));

        (await migrator.PrepareAsync(StoreUser.Service, Ct)).Count.ShouldBe(Migrations.All.Count);

        (await migrator.StatusAsync(Ct)).IsCurrent.ShouldBeTrue();
        (await migrator.PrepareAsync(StoreUser.Service, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_service_refuses_an_older_sqlite_schema_and_leaves_it_as_it_was_while_a_command_upgrades_it()
    {
        var store = new SqliteStore(_folder);
        await new Migrator(store, Migrations.All.Take(1).ToList()).MigrateAsync(Ct);

        var refusal = await Should.ThrowAsync<SchemaOutOfDateException>(() => new Migrator(store).PrepareAsync(StoreUser.Service, Ct));

        refusal.Message.ShouldBe($"The store's schema is at version 1, this WikiSync needs version {Migrations.Latest}: run `wikisync store migrate`.");
        (await new Migrator(store).StatusAsync(Ct)).Current.ShouldBe(1);
        (await new Migrator(store).PrepareAsync(StoreUser.Command, Ct)).Count.ShouldBe(Migrations.All.Count - 1);
        (await new Migrator(store).StatusAsync(Ct)).IsCurrent.ShouldBeTrue();
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_is_refused_with_upgrade_wikisync()
    {
        var store = new SqliteStore(_folder);
        var newer = Migrations.All.Append(new Migration(Migrations.Latest + 1, "extra", "CREATE TABLE extra (id {identity})")).ToList();
        await new Migrator(store, newer).MigrateAsync(Ct);

        var refusal = await Should.ThrowAsync<SchemaOutOfDateException>(() => new Migrator(store).PrepareAsync(StoreUser.Command, Ct));

        refusal.Message.ShouldContain("upgrade WikiSync");
    }
}
