using System.Data.Common;
using Dapper;

namespace WikiSync.Storage;

/// <summary>Where a store's schema stands against what this build of WikiSync expects.</summary>
public sealed record SchemaStatus(int Current, int Latest)
{
    public bool IsCurrent => Current == Latest;

    public bool IsOlder => Current < Latest;
    public bool IsNewer => Current > Latest;
}

/// <summary>Raised when the store's schema does not match the code; the message says what to do.</summary>
public sealed class SchemaOutOfDateException(string message) : Exception(message);

/// <summary>Who asks for the store: <see cref="Migrator.MayMigrate"/> decides from it what may change the schema.</summary>
public enum StoreUser
{
    /// <summary>A command an operator types: <c>sync</c>, <c>render</c>, <c>check</c>, <c>log</c>.</summary>
    Command,

    /// <summary><c>wikisync run</c>: left running, restarted by a service manager, maybe one node of several.</summary>
    Service,
}

/// <summary>
/// Brings a store's schema up to <see cref="Migrations.All"/>, recording each version in
/// <c>schema_version</c>. Running it again applies nothing; two nodes running it at once apply each step once.
/// </summary>
public sealed class Migrator
{
    private const string VersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER NOT NULL PRIMARY KEY,
            name VARCHAR(200) NOT NULL,
            applied_utc {timestamp} NOT NULL
        )
        """;

    private readonly IStore _store;
    private readonly IReadOnlyList<Migration> _migrations;
    private readonly TimeProvider _time;

    public Migrator(IStore store, IReadOnlyList<Migration>? migrations = null, TimeProvider? time = null)
    {
        _store = store;
        _migrations = migrations ?? Migrations.All;
        _time = time ?? TimeProvider.System;
        for (var i = 1; i < _migrations.Count; i++)
        {
            if (_migrations[i].Version <= _migrations[i - 1].Version)
            {
                throw new InvalidOperationException(
                    $"Migration {_migrations[i].Version} ({_migrations[i].Name}) is out of order: versions must increase.");
            }
        }
    }

    public int Latest => _migrations.Count == 0 ? 0 : _migrations[^1].Version;

    public async Task<SchemaStatus> StatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return new SchemaStatus(await CurrentVersionAsync(connection, cancellationToken), Latest);
    }

    /// <summary>
    /// Brings the schema to this build's when <paramref name="user"/> may change it on the spot (see
    /// <see cref="MayMigrate"/>), and returns the steps applied; otherwise refuses with a
    /// <see cref="SchemaOutOfDateException"/> naming what to run. <c>wikisync store migrate</c> calls
    /// <see cref="MigrateAsync"/> itself: it is the explicit upgrade every refusal points to.
    /// </summary>
    public async Task<IReadOnlyList<Migration>> PrepareAsync(StoreUser user, CancellationToken cancellationToken)
    {
        var status = await StatusAsync(cancellationToken);
        if (status.IsCurrent)
            return [];
        if (MayMigrate(_store.Dialect, status, user))
            return await MigrateAsync(cancellationToken);
        throw new SchemaOutOfDateException(status.IsNewer
            ? $"The store's schema is at version {status.Current}, newer than this WikiSync knows ({status.Latest}): upgrade WikiSync."
            : $"The store's schema is at version {status.Current}, this WikiSync needs version {status.Latest}: run `wikisync store migrate`.");
    }

    /// <summary>
    /// The one rule of who may create or upgrade a schema without <c>wikisync store migrate</c>. Anyone may
    /// create the schema of an empty SQLite store, the embedded default that only this node uses, so the
    /// first <c>wikisync run</c> just starts. A command may also create an empty PostgreSQL database (nothing
    /// there to protect) and upgrade an older SQLite schema: the operator typed it, there and then. The
    /// service never upgrades (a restart after installing a new WikiSync must not change the schema behind
    /// the operator's back) nor creates a shared schema, and an older PostgreSQL schema is upgraded only by
    /// the explicit <c>store migrate</c>, so nodes never upgrade it under each other. A newer schema than
    /// this build knows is never touched.
    /// </summary>
    public static bool MayMigrate(SqlDialect dialect, SchemaStatus status, StoreUser user) => status switch
    {
        { IsOlder: false } => false,
        { Current: 0 } => dialect == SqlDialect.Sqlite || user == StoreUser.Command,
        _ => dialect == SqlDialect.Sqlite && user == StoreUser.Command,
    };

    /// <summary>Applies every missing step in one transaction and returns the steps applied (none when current).</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken)
    {
        var dialect = _store.Dialect;
        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (dialect.MigrationLockSql() is { } lockSql)
        {
            await connection.ExecuteAsync(new CommandDefinition(lockSql, transaction: transaction, cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(dialect.Expand(VersionTable), transaction: transaction, cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_version", transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();

        var done = new List<Migration>();
        foreach (var migration in _migrations.Where(m => !applied.Contains(m.Version)))
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    migration.SqlFor(dialect), transaction: transaction, cancellationToken: cancellationToken));
            }
            catch (DbException e)
            {
                throw new InvalidOperationException(
                    $"Migration {migration.Version} ({migration.Name}) failed on {dialect}: {e.Message}", e);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_version (version, name, applied_utc) VALUES (@Version, @Name, @Applied)",
                new { migration.Version, migration.Name, Applied = dialect.ToDb(_time.GetUtcNow()) },
                transaction, cancellationToken: cancellationToken));
            done.Add(migration);
        }

        await transaction.CommitAsync(cancellationToken);
        return done;
    }

    private static async Task<int> CurrentVersionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                "SELECT MAX(version) FROM schema_version", cancellationToken: cancellationToken)) ?? 0;
        }
        catch (DbException)
        {
            // No schema_version table yet: a store nobody has migrated.
            return 0;
        }
    }
}
