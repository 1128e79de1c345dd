using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.Jobs;
using WikiSync.Model;
using WikiSync.Sources;
using WikiSync.Sync;
using WikiSync.Testing;
using WikiSync.Wiki;

namespace WikiSync.IntegrationTests.Support;

/// <summary>
/// The real SAL path on the real local wiki: the shipped jobs/ and templates/, the real SyncRunner and
/// WikiSite, and an inventory of projects whose names are unique to the test (pages never collide).
/// </summary>
public sealed class SalWiki
{
    /// <param name="apiUrl">The api.php to use (default: the wiki's own; a test may route it through a <see cref="TcpGate"/>).</param>
    public SalWiki(IReadOnlyDictionary<string, string> env, string[] projects, Uri? apiUrl = null)
    {
        Env = env;
        Inventory = new Inventory([.. projects.Select(p => new Project(p, "SAL test project", [new Member("alice", "admin")], []))]);
        Site = new WikiSite(new WikiSiteOptions
        {
            ApiUrl = apiUrl ?? new Uri(env["WIKISYNC_WIKI_API"]),
            User = env["WIKISYNC_WIKI_USER"],
            Password = env["WIKISYNC_WIKI_PASSWORD"],
            Contact = "wikisync tests",
            MaxRetries = 1,
            RetryBaseDelay = TimeSpan.FromMilliseconds(100),
            RequestTimeout = TimeSpan.FromSeconds(20),
        });
        Templates = TemplateSetTemplates.Load(RepoPaths.Templates);
    }

    public IReadOnlyDictionary<string, string> Env { get; }

    public Inventory Inventory { get; }

    public WikiSite Site { get; }

    public TemplateSetTemplates Templates { get; }

    /// <summary>index.php, for the links in replies.</summary>
    public string IndexUrl => Env["WIKISYNC_WIKI_API"].Replace("api.php", "index.php", StringComparison.Ordinal);

    public ISyncRunner Runner(ILogEntryReader entries) =>
        new SyncRunner(Site, JobLoader.Load(RepoPaths.Jobs, Templates.Exists), Templates,
            new FixedSource(Inventory), new InMemoryPlacementLedger(), new SyncOptions("User:WikiSyncBot/Shutoff"),
            TimeProvider.System, NullLogger<SyncRunner>.Instance, entries);

    public async Task<string> TextAsync(string title) =>
        (await Site.ReadPagesAsync([title], CancellationToken.None))[title].Text ?? "";

    public async Task<int> RevisionCountAsync(string title) =>
        (await Site.GetRevisionsAsync(title, CancellationToken.None)).Count;

    private sealed class FixedSource(Inventory inventory) : IInventorySource
    {
        public string Describe() => "test inventory";

        public Task<Inventory> CollectAsync(CancellationToken cancellationToken) => Task.FromResult(inventory);
    }
}
