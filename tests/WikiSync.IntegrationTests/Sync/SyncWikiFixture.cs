using System.Diagnostics;
using WikiSync.Configuration;
using WikiSync.Wiki;

namespace WikiSync.IntegrationTests.Sync;

/// <summary>
/// The real local wiki for the pipeline's tests: runs <c>scripts/local-wiki.sh up</c> (idempotent; port from
/// WIKISYNC_LOCAL_WIKI_PORT) and reads its <c>env</c> lines. Shared by the tests of one collection.
/// </summary>
public sealed class SyncWikiFixture
{
    public SyncWikiFixture()
    {
        Root = RepositoryPaths.RepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("cannot find the repository (WikiSync.sln) above the test binary");
        Run("up");
        foreach (var line in Run("env").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("export ", StringComparison.Ordinal) || line.IndexOf('=', StringComparison.Ordinal) is var eq && eq < 0)
                continue;
            Env[line[7..eq]] = line[(eq + 1)..].Trim('\'', '"');
        }
    }

    public string Root { get; }

    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    public string Api => Env["WIKISYNC_WIKI_API"];

    /// <summary>WikiSync's own client, logged in as the bot (what the CLI uses).</summary>
    public WikiSite BotSite() => new(new WikiSiteOptions
    {
        ApiUrl = new Uri(Api), User = Env["WIKISYNC_WIKI_USER"], Password = Env["WIKISYNC_WIKI_PASSWORD"], Contact = "integration tests",
    });

    public async Task<ApiClient> BotAsync() => await LoginAsync("WIKISYNC_WIKI_USER", "WIKISYNC_WIKI_PASSWORD");

    public async Task<ApiClient> EditorAsync() => await LoginAsync("WIKISYNC_TEST_EDITOR_USER", "WIKISYNC_TEST_EDITOR_PASSWORD");

    private async Task<ApiClient> LoginAsync(string user, string password)
    {
        var client = new ApiClient(Api);
        await client.LoginAsync(Env[user], Env[password]);
        return client;
    }

    private string Run(string verb)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Root, "scripts", "local-wiki.sh"), verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"local-wiki.sh {verb} failed: {stderr.Result}");
        return output;
    }
}

[CollectionDefinition(Name)]
public sealed class SyncWikiCollection : ICollectionFixture<SyncWikiFixture>
{
    public const string Name = "pipeline on the real wiki";
}
