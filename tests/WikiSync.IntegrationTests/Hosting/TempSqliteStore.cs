using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using WikiSync.Storage;

namespace WikiSync.IntegrationTests.Hosting;

/// <summary>A SQLite store in a temporary folder (deleted on dispose).</summary>
public sealed class TempSqliteStore : IStore, IDisposable
{
    public TempSqliteStore()
    {
        Folder = Path.Combine(Path.GetTempPath(), "wikisync-hosting-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(Folder, "wikisync.db")}");
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
