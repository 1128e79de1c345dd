using System.Data.Common;

namespace WikiSync.Storage;

/// <summary>
/// The one database WikiSync keeps its state in: SQLite in the state folder by default, PostgreSQL
/// when several nodes share the work. Everything engine-specific goes through <see cref="Dialect"/>.
/// </summary>
public interface IStore
{
    SqlDialect Dialect { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}

public enum SqlDialect
{
    Sqlite,
    PostgreSql,
}
