namespace WikiSync.IntegrationTests.Support;

/// <summary>
/// The real local wiki for the reliability suite: the settings scripts/test.sh exported, or else
/// scripts/local-wiki.sh up + env. Accounts: the bot (WikiSync's) and Editor, a person.
/// </summary>
public sealed class LiveWiki : IAsyncLifetime
{
    public IReadOnlyDictionary<string, string> Env { get; private set; } = new Dictionary<string, string>();

    public Uri Api => new(Env["WIKISYNC_WIKI_API"]);

    public string BotUser => Env["WIKISYNC_WIKI_USER"];

    public string BotPassword => Env["WIKISYNC_WIKI_PASSWORD"];

    public string EditorUser => Env["WIKISYNC_TEST_EDITOR_USER"];

    public string EditorPassword => Env["WIKISYNC_TEST_EDITOR_PASSWORD"];

    /// <summary>index.php?title= of the wiki, for a browser.</summary>
    public string PageUrl(string title) =>
        Env.GetValueOrDefault("WIKISYNC_LOCAL_WIKI_URL", Api.ToString().Replace("api.php", "index.php?title=", StringComparison.Ordinal))
        + Uri.EscapeDataString(title.Replace(' ', '_')).Replace("%3A", ":", StringComparison.Ordinal).Replace("%2F", "/", StringComparison.Ordinal);

    public async Task InitializeAsync()
    {
        var names = new[] { "WIKISYNC_WIKI_API", "WIKISYNC_WIKI_USER", "WIKISYNC_WIKI_PASSWORD", "WIKISYNC_TEST_EDITOR_USER", "WIKISYNC_TEST_EDITOR_PASSWORD", "WIKISYNC_LOCAL_WIKI_URL" };
        if (names.Take(5).All(n => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(n))))
        {
            Env = names.Where(n => Environment.GetEnvironmentVariable(n) is { Length: > 0 })
                .ToDictionary(n => n, n => Environment.GetEnvironmentVariable(n)!);
            return;
        }
        Env = await ServerScript.UpAsync("local-wiki.sh");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public async Task<ApiSession> BotAsync(Uri? api = null)
    {
        var session = new ApiSession(api ?? Api);
        await session.LoginAsync(BotUser, BotPassword);
        return session;
    }

    public async Task<ApiSession> EditorAsync()
    {
        var session = new ApiSession(Api);
        await session.LoginAsync(EditorUser, EditorPassword);
        return session;
    }

    /// <summary>A page title no other test uses.</summary>
    public static string UniqueTitle(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..10]}";
}

[CollectionDefinition(Name)]
public sealed class LiveWikiCollection : ICollectionFixture<LiveWiki>
{
    public const string Name = "live wiki (reliability)";
}
