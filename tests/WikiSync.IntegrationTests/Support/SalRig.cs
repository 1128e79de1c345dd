using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.AdminLog.Irc;
using WikiSync.AdminLog;
using WikiSync.Model;
using WikiSync.Sources;
using WikiSync.Storage;
using WikiSync.Sync;
using WikiSync.Testing;

namespace WikiSync.IntegrationTests.Support;

/// <summary>
/// The SAL wired as <c>wikisync run</c> wires it, on a fresh SQLite store: intake, publisher and the IRC bot
/// against a real server. The sync runner is given (a real one, or <see cref="FakeSalRunner"/>).
/// </summary>
public sealed class SalRig : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "wikisync-salrig-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public static Inventory Inventory { get; } = new([
        new Project("tools", "Toolforge", [new Member("alice", "admin"), new Member("bob", "member")], []),
        new Project("deployment-prep", "Beta cluster", [new Member("carol", "admin")], []),
    ]);

    public SalRig(Func<LogEntryStore, ISyncRunner> runner, string wikiIndexUrl = "http://wiki.test/index.php", IProjectCatalog? catalog = null, SalPublisherOptions? publisher = null, IStore? store = null, string? jobs = null)
    {
        // SQLite in a temporary folder unless a test hands in another store, or the run is on PostgreSQL (TestStore).
        Store = store ?? TestStore.InProcessAsync().GetAwaiter().GetResult() ?? new SqliteStore(_folder);
        new Migrator(Store).MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        Entries = new LogEntryStore(Store);
        var templates = TemplateSetTemplates.Load(RepoPaths.Templates);
        Pages = new SalPages(wikiIndexUrl, WikiSync.Jobs.JobLoader.Load(jobs ?? RepoPaths.Jobs, templates.Exists), templates, TimeProvider.System);
        Runner = runner(Entries);
        Publisher = new SalPublisher(Runner, Entries, Pages, TimeProvider.System, NullLogger<SalPublisher>.Instance,
            publisher ?? new SalPublisherOptions { FirstRetry = TimeSpan.FromMilliseconds(200), MaxRetry = TimeSpan.FromSeconds(2) });
        Notices = new SalRefusalNotices(Entries, TimeProvider.System, NullLogger<SalRefusalNotices>.Instance);
        Publisher.Refused += (_, _) => Notices.Wake();
        Intake = new LogIntake(Entries, catalog ?? new FixedProjectCatalog(Inventory), Publisher, new LogAccess(), Pages, TimeProvider.System, NullLogger<LogIntake>.Instance);
    }

    public IStore Store { get; }

    public LogEntryStore Entries { get; }

    public SalPages Pages { get; }

    public ISyncRunner Runner { get; }

    public SalPublisher Publisher { get; }

    public LogIntake Intake { get; }

    /// <summary>Tells the authors of refused entries through the bot, once <see cref="StartBotAsync"/> started it.</summary>
    public SalRefusalNotices Notices { get; }

    public IrcBot? Bot { get; private set; }

    public void StartPublisher() => _loops.Add(Publisher.RunAsync(_stop.Token));

    /// <summary>Starts the bot and waits until it has joined every channel.</summary>
    public async Task<IrcBot> StartBotAsync(IrcBotOptions options)
    {
        var joined = new TaskCompletionSource();
        Bot = SalIrcBot.Create(options, Intake, TimeProvider.System, NullLogger<IrcBot>.Instance);
        Bot.Joined += (_, _) =>
        {
            if (options.Channels.All(c => Bot.JoinedChannels.Contains(c, StringComparer.OrdinalIgnoreCase)))
            {
                joined.TrySetResult();
            }
        };
        _loops.Add(SalIrcBot.RunAsync(Bot, Notices, _stop.Token));
        await joined.Task.WaitAsync(TimeSpan.FromSeconds(15));
        return Bot;
    }

    public async Task<IReadOnlyList<LogEntry>> AllEntriesAsync()
    {
        var all = new List<LogEntry>();
        foreach (var project in Inventory.Projects)
        {
            all.AddRange(await Entries.ListAsync(project.Name, null, CancellationToken.None));
        }

        return all;
    }

    public async Task WaitAllPublishedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while ((await Entries.ProjectsWithUnpublishedAsync(CancellationToken.None)).Count > 0)
        {
            await Task.Delay(50, cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var loop in _loops)
        {
            try
            {
                await loop.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
