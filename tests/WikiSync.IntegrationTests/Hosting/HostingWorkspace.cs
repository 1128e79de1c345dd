using System.Globalization;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Hosting;

/// <summary>
/// A throwaway set of files for <c>wikisync run</c>: one static inventory, one job on a short interval
/// rendering the project's description into section <c>desc</c> of page "Hosting test RUN alpha", and
/// the environment a node needs (wiki from local-wiki.sh, store SQLite or PostgreSQL).
/// </summary>
public sealed class HostingWorkspace : IDisposable
{
    public const string Token = "hosting-test-token-0123456789";

    private readonly IReadOnlyDictionary<string, string> _wikiEnv;

    public HostingWorkspace(string interval = "1s", string? store = null)
    {
        RunId = Guid.NewGuid().ToString("N")[..8];
        Folder = Path.Combine(Path.GetTempPath(), "wikisync-hosting-it-" + RunId);
        Directory.CreateDirectory(Path.Combine(Folder, "jobs"));
        Directory.CreateDirectory(Path.Combine(Folder, "templates"));
        _wikiEnv = ServerScript.UpOnce("local-wiki.sh");
        Store = store;
        Page = $"Hosting test {RunId} alpha";
        ShutoffPage = $"Hosting test {RunId} shutoff";
        SetDescription("first description");
        File.WriteAllText(Path.Combine(Folder, "jobs", "desc.yaml"), $$$"""
            name: desc
            schedule: { every: {{{interval}}} }
            source: inventory
            template: desc
            page: "Hosting test {{{RunId}}} {{ project.name }}"
            section: desc
            create_pages: false
            """);
        File.WriteAllText(Path.Combine(Folder, "templates", "desc.sbn"), "Description: {{ project.description }}\n");
        File.WriteAllText(Path.Combine(Folder, "templates", "page-skeleton.sbn"), "Hand-written.\n");
    }

    public string RunId { get; }

    public string Folder { get; }

    public string? Store { get; }

    /// <summary>IRC settings for the nodes (server, nick, channel), when the test wants the bot.</summary>
    public (string Server, string Nick, string Channel)? Irc { get; set; }

    public string Page { get; }

    public string ShutoffPage { get; }

    public string WikiApi => _wikiEnv["WIKISYNC_WIKI_API"];

    /// <summary>The hand-written page the job keeps a section of; created by the test's editor account.</summary>
    public static string InitialText => "Hand-written intro.\n<!-- wikisync:begin desc -->\n<!-- wikisync:end desc -->\nHand-written outro.\n";

    public void SetDescription(string description) =>
        File.WriteAllText(Path.Combine(Folder, "inventory.yaml"), $"""
            projects:
              - name: alpha
                description: "{description}"
                members: []
                instances: []
            """);

    public async Task<TestWiki> EditorAsync()
    {
        var wiki = TestWiki.FromEnvironment(_wikiEnv);
        await wiki.LoginAsync(_wikiEnv["WIKISYNC_TEST_EDITOR_USER"], _wikiEnv["WIKISYNC_TEST_EDITOR_PASSWORD"]);
        return wiki;
    }

    /// <summary>Logs the editor in and has them write <see cref="InitialText"/> to <see cref="Page"/>: where every run test starts.</summary>
    public async Task<TestWiki> EditorWithInitialPageAsync()
    {
        var editor = await EditorAsync();
        try
        {
            await editor.EditAsync(Page, InitialText);
            return editor;
        }
        catch
        {
            editor.Dispose();
            throw;
        }
    }

    /// <summary>The environment of node <paramref name="node"/>: its own state folder, shared store.</summary>
    public IReadOnlyDictionary<string, string> Environment(int node = 0)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["WIKISYNC_WIKI_API"] = _wikiEnv["WIKISYNC_WIKI_API"],
            ["WIKISYNC_WIKI_USER"] = _wikiEnv["WIKISYNC_WIKI_USER"],
            ["WIKISYNC_WIKI_PASSWORD"] = _wikiEnv["WIKISYNC_WIKI_PASSWORD"],
            ["WIKISYNC_INVENTORY"] = Path.Combine(Folder, "inventory.yaml"),
            ["WIKISYNC_JOBS"] = Path.Combine(Folder, "jobs"),
            ["WIKISYNC_TEMPLATES"] = Path.Combine(Folder, "templates"),
            ["WIKISYNC_DATA"] = Path.Combine(Folder, "state-" + node.ToString(CultureInfo.InvariantCulture)),
            ["WIKISYNC_SHUTOFF_PAGE"] = ShutoffPage,
            ["WIKISYNC_HTTP_TOKEN"] = Token,
            ["WIKISYNC_CONTACT"] = "hosting integration tests",
        };
        if (Store is not null)
            env["WIKISYNC_STORE"] = Store;
        if (Irc is { } irc)
        {
            env["WIKISYNC_IRC_SERVER"] = irc.Server;
            env["WIKISYNC_IRC_NICK"] = irc.Nick;
            env["WIKISYNC_IRC_CHANNELS"] = irc.Channel;
        }
        return env;
    }

    /// <summary><c>wikisync store migrate</c> for node <paramref name="node"/>'s store: <c>run</c> refuses an older schema.</summary>
    public async Task MigrateAsync(int node = 0)
    {
        var (code, output) = await WikiSyncNode.RunAsync(Environment(node), "store", "migrate");
        if (code != 0)
            throw new InvalidOperationException($"wikisync store migrate failed ({code}): {output}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
