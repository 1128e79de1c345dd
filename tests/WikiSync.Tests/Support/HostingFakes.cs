using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using WikiSync.Storage;
using WikiSync.Sync;
using WikiSync.Wiki;

namespace WikiSync.Tests.Support;

/// <summary>A sync runner that records what it was asked and answers with a fixed report.</summary>
public sealed class RecordingSyncRunner : ISyncRunner
{
    public ConcurrentQueue<SyncRequest> Requests { get; } = new();

    public Func<SyncRequest, CancellationToken, Task<SyncReport>> Answer { get; set; } =
        (_, _) => Task.FromResult(new SyncReport([], []));

    public async Task<SyncReport> RunAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return await Answer(request, cancellationToken);
    }
}

/// <summary>A wiki of pages in memory that can be told to fail.</summary>
public sealed class InMemoryWiki : IWikiSite
{
    public ConcurrentDictionary<string, string> Pages { get; } = new();

    public Exception? Failure { get; set; }

    public Task<IReadOnlyDictionary<string, WikiPage>> ReadPagesAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
            throw failure;
        IReadOnlyDictionary<string, WikiPage> result = titles.ToDictionary(
            t => t,
            t => Pages.TryGetValue(t, out var text) ? new WikiPage(t, true, text, 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z") : WikiPage.Missing(t, "2026-01-01T00:00:00Z"));
        return Task.FromResult(result);
    }

    public Task<EditResult> EditAsync(EditRequest request, CancellationToken cancellationToken)
    {
        Pages[request.Title] = request.Text;
        return Task.FromResult(new EditResult(request.Title, true, 2, null));
    }
}

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
