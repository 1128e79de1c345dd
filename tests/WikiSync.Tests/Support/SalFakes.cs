using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.AdminLog;
using WikiSync.Model;
using WikiSync.Jobs;
using WikiSync.Storage;
using WikiSync.Testing;
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

public static class SalTestData
{
    public static Inventory Inventory { get; } = new([
        new Project("tools", "Toolforge", [new Member("alice", "admin"), new Member("bob", "member")], []),
        new Project("deployment-prep", "Beta cluster", [new Member("carol", "admin")], []),
    ]);

    /// <summary>The SAL pages of the shipped jobs/ and templates/.</summary>
    public static SalPages Pages { get; } = ForJobs(Path.Combine(Rendering.Repository.Root, "jobs"));

    public static SalPages ForJobs(string jobsFolder)
    {
        var templates = TemplateSetTemplates.Load(Rendering.Repository.Templates);
        return new SalPages("http://wiki.test/index.php", JobLoader.Load(jobsFolder, templates.Exists), templates, TimeProvider.System);
    }

    public static LogIntake Intake(LogEntryStore store, ISalSignal signal, TimeProvider? time = null, LogAccess? access = null) =>
        new(store, new FixedProjectCatalog(Inventory), signal, access ?? new LogAccess(), Pages, time ?? TimeProvider.System, NullLogger<LogIntake>.Instance);

    public static IrcUser Alice { get; } = new("alice", "~alice", "host.example.org");
}
