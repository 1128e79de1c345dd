using WikiSync.IntegrationTests.Sync;
using WikiSync.Wiki;

namespace WikiSync.IntegrationTests.Support;

// One wiki, one fixture class; the collections stay apart so their tests still run side by side.

/// <summary>WikiSite's own tests on the real wiki.</summary>
[CollectionDefinition(Name)]
public sealed class WikiCollection : ICollectionFixture<LocalWikiFixture>
{
    public const string Name = "wiki";
}

/// <summary>The pipeline and the CLI on the real wiki.</summary>
[CollectionDefinition(Name)]
public sealed class SyncWikiCollection : ICollectionFixture<LocalWikiFixture>
{
    public const string Name = "pipeline on the real wiki";
}

/// <summary>The reliability suite and the test harness on the real wiki.</summary>
[CollectionDefinition(Name)]
public sealed class LiveWikiCollection : ICollectionFixture<LocalWikiFixture>
{
    public const string Name = "live wiki (reliability)";
}

/// <summary>The settings <c>scripts/local-wiki.sh env</c> printed.</summary>
public sealed record LocalWikiSettings(
    Uri ApiUrl,
    string User,
    string Password,
    string EditorUser,
    string EditorPassword,
    string MainUser,
    string MainPassword,
    string AdminUser,
    string AdminPassword,
    string PageUrlBase);

/// <summary>
/// The real local MediaWiki (<c>scripts/local-wiki.sh up</c>, idempotent, port from WIKISYNC_LOCAL_WIKI_PORT)
/// and the settings its <c>env</c> printed. Gives WikiSync's own client as the bot, a human editor (to provoke
/// edit conflicts: the bot never conflicts with itself) and an administrator, raw API sessions of the tests'
/// own, and helpers to look at a page's history. The wiki is left running for the next tests; scripts/test.sh
/// stops it.
/// </summary>
public sealed class LocalWikiFixture : IAsyncLifetime
{
    private LocalWikiSettings? _settings;
    private WikiSite? _bot;
    private WikiSite? _editor;
    private WikiSite? _admin;

    public LocalWikiSettings Settings => _settings ?? throw new InvalidOperationException("The local wiki is not up yet.");

    /// <summary>Every variable `env` exported (WIKISYNC_*), e.g. to hand to a wikisync process.</summary>
    public IReadOnlyDictionary<string, string> Env { get; private set; } = new Dictionary<string, string>();

    public Uri Api => Settings.ApiUrl;

    public string BotUser => Settings.User;

    public string BotPassword => Settings.Password;

    public string EditorUser => Settings.EditorUser;

    public string EditorPassword => Settings.EditorPassword;

    /// <summary>WikiSyncBot (group bot) through its bot password: the account WikiSync uses.</summary>
    public WikiSite Bot => _bot ?? throw new InvalidOperationException("The local wiki is not up yet.");

    /// <summary>Editor, an ordinary user (no bot flag), for edits "by a human".</summary>
    public WikiSite Editor => _editor ?? throw new InvalidOperationException("The local wiki is not up yet.");

    /// <summary>Admin (sysop) for protecting and deleting pages in tests.</summary>
    public WikiSite Admin => _admin ?? throw new InvalidOperationException("The local wiki is not up yet.");

    public async Task InitializeAsync()
    {
        Env = await ServerScript.UpOnceAsync("local-wiki.sh");
        string Get(string name) => Env.TryGetValue(name, out var value)
            ? value
            : throw new InvalidOperationException($"scripts/local-wiki.sh env did not print {name}.");
        _settings = new LocalWikiSettings(
            new Uri(Get("WIKISYNC_WIKI_API")),
            Get("WIKISYNC_WIKI_USER"),
            Get("WIKISYNC_WIKI_PASSWORD"),
            Get("WIKISYNC_TEST_EDITOR_USER"),
            Get("WIKISYNC_TEST_EDITOR_PASSWORD"),
            Get("WIKISYNC_TEST_MAIN_USER"),
            Get("WIKISYNC_TEST_MAIN_PASSWORD"),
            Get("WIKISYNC_TEST_ADMIN_USER"),
            Get("WIKISYNC_TEST_ADMIN_PASSWORD"),
            Get("WIKISYNC_LOCAL_WIKI_URL"));
        _bot = CreateSite(Settings.User, Settings.Password);
        _editor = CreateSite(Settings.EditorUser, Settings.EditorPassword);
        _admin = CreateSite(Settings.AdminUser, Settings.AdminPassword);
    }

    public Task DisposeAsync()
    {
        _bot?.Dispose();
        _editor?.Dispose();
        _admin?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Points the WikiSync extension's Refresh tab and Special:WikiSync at a service (.local-wiki/service.json,
    /// read on every request) until disposed. Only one test class uses it, so its tests take turns.
    /// </summary>
    public static IDisposable PointExtensionAt(string url, string token)
    {
        var path = Path.Combine(RepoPaths.Root, ".local-wiki", "service.json");
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["url"] = url, ["token"] = token }));
        return new ExtensionService(path);
    }

    private sealed class ExtensionService(string path) : IDisposable
    {
        public void Dispose() => File.Delete(path);
    }

    /// <summary>A new client with its own session, e.g. to try other credentials.</summary>
    public WikiSite CreateSite(string user, string password) => new(new WikiSiteOptions
    {
        ApiUrl = Settings.ApiUrl,
        User = user,
        Password = password,
        Contact = "WikiSync integration tests",
        RequestTimeout = TimeSpan.FromSeconds(60),
    });

    /// <summary>A new WikiSync client logged in as the bot, with a session of its own.</summary>
    public WikiSite BotSite() => CreateSite(Settings.User, Settings.Password);

    /// <summary>A raw API session of the tests' own as the bot (optionally through another api.php, e.g. a fault proxy).</summary>
    public Task<ApiSession> BotAsync(Uri? api = null) => SessionAsync(api ?? Api, BotUser, BotPassword);

    /// <summary>A raw API session of the tests' own as Editor.</summary>
    public Task<ApiSession> EditorAsync() => SessionAsync(Api, EditorUser, EditorPassword);

    private static async Task<ApiSession> SessionAsync(Uri api, string user, string password)
    {
        var session = new ApiSession(api);
        await session.LoginAsync(user, password);
        return session;
    }

    /// <summary>The pipeline tests' raw client (history with texts, parser structure) as the bot.</summary>
    public Task<ApiClient> BotClientAsync() => LoginClientAsync(BotUser, BotPassword);

    /// <summary>The pipeline tests' raw client as Editor.</summary>
    public Task<ApiClient> EditorClientAsync() => LoginClientAsync(EditorUser, EditorPassword);

    /// <summary>
    /// The environment of a wikisync process on this wiki: every WIKISYNC_* `env` printed, the shipped jobs/
    /// and templates/, the given inventory file and a state folder under <paramref name="folder"/>.
    /// </summary>
    public Dictionary<string, string> CliEnvironment(string inventory, string folder) =>
        new(Env.Where(e => e.Key.StartsWith("WIKISYNC_", StringComparison.Ordinal)))
        {
            ["WIKISYNC_INVENTORY"] = inventory,
            ["WIKISYNC_DATA"] = Path.Combine(folder, "state"),
            ["WIKISYNC_JOBS"] = RepoPaths.Jobs,
            ["WIKISYNC_TEMPLATES"] = RepoPaths.Templates,
        };

    /// <summary>A page title no other test (or earlier run) uses.</summary>
    public static string UniqueTitle(string prefix) =>
        $"{prefix} {DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The browser URL of a page on the local wiki.</summary>
    public string PageUrl(string title) =>
        Settings.PageUrlBase + Uri.EscapeDataString(title.Replace(' ', '_')).Replace("%3A", ":", StringComparison.Ordinal).Replace("%2F", "/", StringComparison.Ordinal);

    /// <summary>Every revision of the page, oldest first, with user and text (for history checks).</summary>
    public Task<IReadOnlyList<WikiRevision>> GetRevisionsAsync(string title, CancellationToken cancellationToken = default) =>
        Bot.GetRevisionsAsync(title, cancellationToken);

    /// <summary>How many revisions the page has (0 when it does not exist).</summary>
    public async Task<int> CountRevisionsAsync(string title, CancellationToken cancellationToken = default)
    {
        var count = 0;
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("action", "query"), new("prop", "revisions"), new("titles", title), new("rvprop", "ids"), new("rvlimit", "max"),
        };
        while (true)
        {
            var root = await Bot.InvokeAsync(parameters, write: false, cancellationToken);
            foreach (var page in root.GetProperty("query").GetProperty("pages").EnumerateArray())
            {
                if (page.TryGetProperty("revisions", out var revisions))
                    count += revisions.GetArrayLength();
            }
            if (!root.TryGetProperty("continue", out var next))
                return count;
            parameters.RemoveAll(p => p.Key is "rvcontinue" or "continue");
            parameters.AddRange(next.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.ToString())));
        }
    }

    /// <summary>Saves a page as <paramref name="site"/>, whatever it held, and returns the page as read afterwards.</summary>
    public async Task<WikiPage> SaveAsync(WikiSite site, string title, string text, string summary = "test setup", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(site);
        var current = (await site.ReadPagesAsync([title], cancellationToken))[title];
        await site.EditAsync(new EditRequest(title, text, summary, current, Minor: false, Bot: false), cancellationToken);
        return (await site.ReadPagesAsync([title], cancellationToken))[title];
    }

    private async Task<ApiClient> LoginClientAsync(string user, string password)
    {
        var client = new ApiClient(Api.ToString());
        await client.LoginAsync(user, password);
        return client;
    }
}
