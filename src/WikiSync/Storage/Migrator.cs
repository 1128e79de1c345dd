using System.Data.Common;
using Dapper;

namespace WikiSync.Storage;

/// <summary>Where a store's schema stands against what this build of WikiSync expects.</summary>
public sealed record SchemaStatus(int Current, int Latest)
{
    public bool IsOlder => Current < Latest;
    public bool IsNewer => Current > Latest;
}

/// <summary>Raised when the store's schema does not match the code; the message says what to do.</summary>
public sealed class SchemaOutOfDateException(string message) : Exception(message);

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

    /// <summary>Refuses with a message naming the command to run when the schema does not match the code.</summary>
    public async Task EnsureCurrentAsync(CancellationToken cancellationToken)
    {
        var status = await StatusAsync(cancellationToken);
        if (status.IsOlder)
        {
            throw new SchemaOutOfDateException(
                $"The store's schema is at version {status.Current}, this WikiSync needs version {status.Latest}: run `wikisync store migrate`.");
        }

        if (status.IsNewer)
        {
            throw new SchemaOutOfDateException(
                $"The store's schema is at version {status.Current}, newer than this WikiSync knows ({status.Latest}): upgrade WikiSync.");
        }
    }

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
