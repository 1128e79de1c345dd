using System.Diagnostics;
using System.Globalization;
using WikiSync.Wiki;

namespace WikiSync.IntegrationTests.Support;

/// <summary>Tests in this collection share one running local wiki (scripts/local-wiki.sh).</summary>
[CollectionDefinition("wiki")]
public sealed class WikiCollection : ICollectionFixture<LocalWikiFixture>
{
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
/// Starts the real local MediaWiki (<c>scripts/local-wiki.sh up</c>, idempotent, port from
/// WIKISYNC_LOCAL_WIKI_PORT) and reads its settings from <c>env</c>. Gives a logged-in bot, a human
/// editor (to provoke edit conflicts: the bot never conflicts with itself) and an administrator, plus
/// helpers to look at a page's history. The wiki is left running for the next tests; scripts/test.sh stops it.
/// </summary>
public sealed class LocalWikiFixture : IAsyncLifetime
{
    private LocalWikiSettings? _settings;
    private WikiSite? _bot;
    private WikiSite? _editor;
    private WikiSite? _admin;

    public string RepoRoot { get; } = FindRepoRoot();

    public LocalWikiSettings Settings => _settings ?? throw new InvalidOperationException("The local wiki is not up yet.");

    /// <summary>Every variable `env` exported (WIKISYNC_*), e.g. to hand to a wikisync process.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    /// <summary>WikiSyncBot (group bot) through its bot password: the account WikiSync uses.</summary>
    public WikiSite Bot => _bot ?? throw new InvalidOperationException("The local wiki is not up yet.");

    /// <summary>Editor, an ordinary user (no bot flag), for edits "by a human".</summary>
    public WikiSite Editor => _editor ?? throw new InvalidOperationException("The local wiki is not up yet.");

    /// <summary>Admin (sysop) for protecting and deleting pages in tests.</summary>
    public WikiSite Admin => _admin ?? throw new InvalidOperationException("The local wiki is not up yet.");

    public async Task InitializeAsync()
    {
        var script = Path.Combine(RepoRoot, "scripts", "local-wiki.sh");
        await RunScriptAsync(script, "up", TimeSpan.FromMinutes(15));
        var env = await RunScriptAsync(script, "env", TimeSpan.FromMinutes(1));
        Environment = ParseExports(env);
        string Get(string name) => Environment.TryGetValue(name, out var value)
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

    /// <summary>A new client with its own session, e.g. to try other credentials.</summary>
    public WikiSite CreateSite(string user, string password) => new(new WikiSiteOptions
    {
        ApiUrl = Settings.ApiUrl,
        User = user,
        Password = password,
        Contact = "WikiSync integration tests",
        RequestTimeout = TimeSpan.FromSeconds(60),
    });

    /// <summary>A page title no other test (or earlier run) uses.</summary>
    public static string UniqueTitle(string prefix) =>
        $"{prefix} {DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The browser URL of a page on the local wiki.</summary>
    public string PageUrl(string title) => Settings.PageUrlBase + Uri.EscapeDataString(title.Replace(' ', '_'));

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

    internal static Dictionary<string, string> ParseExports(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith("export ", StringComparison.Ordinal))
                continue;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
                continue;
            var name = line[7..eq].Trim();
            var value = line[(eq + 1)..];
            if (value.Length >= 2 && ((value[0] == '\'' && value[^1] == '\'') || (value[0] == '"' && value[^1] == '"')))
                value = value[1..^1];
            values[name] = value;
        }
        return values;
    }

    private static async Task<string> RunScriptAsync(string script, string verb, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(verb);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {script}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {verb} did not finish within {timeout.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes.");
        }
        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} {verb} failed (exit {process.ExitCode}):\n{errors}");
        return output;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WikiSync.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No WikiSync.sln above {AppContext.BaseDirectory}.");
    }
}
