using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace WikiSync.Storage;

/// <summary>
/// The default store: <c>wikisync.db</c> in the state folder, in WAL mode so readers never wait for the
/// writer, with a busy timeout so two writers queue instead of failing.
/// </summary>
public sealed class SqliteStore : IStore
{
    public const string FileName = "wikisync.db";
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    private readonly string _connectionString;
    private int _walSet;

    public SqliteStore(string stateFolder)
    {
        Directory.CreateDirectory(stateFolder);
        Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(stateFolder, FileName));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
    }

    public string Path { get; }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // journal_mode is stored in the file, so it is set once per process; busy_timeout is per connection.
            command.CommandText = Interlocked.Exchange(ref _walSet, 1) == 0
                ? $"PRAGMA journal_mode=WAL; PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous=NORMAL;"
                : $"PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds};";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override string ToString() => $"SQLite {Path}";
}
