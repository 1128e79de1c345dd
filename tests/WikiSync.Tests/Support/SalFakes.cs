using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.AdminLog;
using WikiSync.Model;
using WikiSync.Storage;
using WikiSync.Testing;

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
