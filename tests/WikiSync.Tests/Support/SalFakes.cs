using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.AdminLog;
using WikiSync.Model;
using WikiSync.Storage;
using WikiSync.Sync;

namespace WikiSync.Tests.Support;

/// <summary>A migrated SQLite store in a temporary folder, deleted afterwards.</summary>
public sealed class TempSalStore : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "wikisync-sal-" + Guid.NewGuid().ToString("N"));

    public TempSalStore()
    {
        Store = new SqliteStore(_folder);
        new Migrator(Store).MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        Entries = new LogEntryStore(Store);
    }

    public SqliteStore Store { get; }

    public LogEntryStore Entries { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>Collects signals instead of publishing.</summary>
public sealed class RecordingSignal : ISalSignal
{
    public List<LogEntry> Stored { get; } = [];

    public void EntryStored(LogEntry entry) => Stored.Add(entry);
}

/// <summary>
/// Stands in for the SyncRunner on the SAL jobs: "saves" the full log page of each project as one line per
/// stored entry with its anchor, counting edits. Can be made to fail, or to block until released.
/// </summary>
public sealed class FakeSalRunner(LogEntryStore store) : ISyncRunner
{
    private long _revision = 100;
    private readonly Dictionary<string, string> _pages = [];

    public List<SyncRequest> Requests { get; } = [];

    public int Edits { get; private set; }

    public Func<SyncRequest, Exception?> Fail { get; set; } = _ => null;

    /// <summary>Throws after saving, like a process killed between the edit and recording it.</summary>
    public bool ThrowAfterSave { get; set; }

    public TaskCompletionSource? Gate { get; set; }

    public string? PageText(string project) => _pages.GetValueOrDefault($"Nova Resource:{project}/SAL");

    public async Task<SyncReport> RunAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }

        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Fail(request) is { } failure)
        {
            throw failure;
        }

        var outcomes = new List<PageOutcome>();
        foreach (var project in request.Projects)
        {
            var title = $"Nova Resource:{project}/SAL";
            var entries = await store.ListAsync(project, null, cancellationToken);
            var text = string.Concat(entries.Select(e => $"* {e.ReceivedUtc:HH:mm} {e.Author}: {e.Message}{SalAnchors.Markup(e)}\n"));
            if (_pages.GetValueOrDefault(title) == text)
            {
                outcomes.Add(new PageOutcome(title, PageAction.Unchanged, [], RevisionId: _revision, Text: text));
                continue;
            }

            _pages[title] = text;
            Edits++;
            _revision++;
            outcomes.Add(new PageOutcome(title, PageAction.Updated, ["sal"], RevisionId: _revision, Text: text));
        }

        if (ThrowAfterSave)
        {
            throw new InvalidOperationException("killed after the edit");
        }

        return new SyncReport(outcomes, []);
    }
}

public static class SalTestData
{
    public static Inventory Inventory { get; } = new([
        new Project("tools", "Toolforge", [new Member("alice", "admin"), new Member("bob", "member")], []),
        new Project("deployment-prep", "Beta cluster", [new Member("carol", "admin")], []),
    ]);

    public static SalLinks Links { get; } = new("http://wiki.test/index.php");

    public static LogIntake Intake(LogEntryStore store, ISalSignal signal, TimeProvider? time = null, LogAccess? access = null) =>
        new(store, new FixedProjectCatalog(Inventory), signal, access ?? new LogAccess(), Links, time ?? TimeProvider.System, NullLogger<LogIntake>.Instance);

    public static IrcUser Alice { get; } = new("alice", "~alice", "host.example.org");
}
