using System.Data.Common;
using Npgsql;

namespace WikiSync.Storage;

/// <summary>The store several nodes share: one PostgreSQL database named by a connection string.</summary>
public sealed class PostgresStore : IStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresStore(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // The message of the parser can echo the string, and the string may hold a password.
            throw new ArgumentException($"WIKISYNC_STORE is not a valid PostgreSQL connection string ({e.GetType().Name}).", nameof(connectionString));
        }

        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>Where the store is, without credentials, for logs and status.</summary>
    public string Description { get; }

    public SqlDialect Dialect => SqlDialect.PostgreSql;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    public override string ToString() => Description;
}
