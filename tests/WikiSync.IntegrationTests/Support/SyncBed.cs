using System.Text.Json;

namespace WikiSync.IntegrationTests.Support;

/// <summary>
/// A private corner of the real wiki for one test: projects with a unique prefix (so their pages are new),
/// an inventory file, a state folder, and a proxy in front of the wiki that counts and injects faults.
/// </summary>
public sealed class SyncBed : IAsyncDisposable
{
    private readonly LocalWikiFixture _wiki;

    private SyncBed(LocalWikiFixture wiki, FaultProxy proxy, string prefix, List<InventoryProject> projects)
    {
        _wiki = wiki;
        Proxy = proxy;
        Prefix = prefix;
        Projects = projects;
        Folder = Path.Combine(Path.GetTempPath(), "wikisync-" + prefix);
        Directory.CreateDirectory(Folder);
        Directory.CreateDirectory(State);
        WriteInventory();
    }

    public FaultProxy Proxy { get; }

    public string Prefix { get; }

    public List<InventoryProject> Projects { get; set; }

    public string Folder { get; }

    public string Inventory => Path.Combine(Folder, "inventory.yaml");

    public string State => Path.Combine(Folder, "state");

    public IReadOnlyList<string> Titles => [.. Projects.Select(p => "Nova Resource:" + p.Name)];

    /// <summary>Jobs a bed syncs unless told otherwise: the two whose pages belong to its projects alone.</summary>
    public static IReadOnlyList<string> ProjectJobs { get; } = ["--job", "instances", "--job", "members"];

    public Dictionary<string, string> Env => new()
    {
        ["WIKISYNC_WIKI_API"] = Proxy.Rewrite(_wiki.Api).ToString(),
        ["WIKISYNC_WIKI_USER"] = _wiki.BotUser,
        ["WIKISYNC_WIKI_PASSWORD"] = _wiki.BotPassword,
        ["WIKISYNC_INVENTORY"] = Inventory,
        ["WIKISYNC_DATA"] = State,
        ["WIKISYNC_JOBS"] = RepoPaths.Jobs,
        ["WIKISYNC_TEMPLATES"] = RepoPaths.Templates,
    };

    public static async Task<SyncBed> CreateAsync(LocalWikiFixture wiki, int projects, int seed = 1)
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        var proxy = await FaultProxy.StartAsync(wiki.Api);
        return new SyncBed(wiki, proxy, prefix, InventoryFile.Generate(prefix, projects, seed));
    }

    public void WriteInventory() => InventoryFile.Write(Inventory, Projects);

    /// <summary>Gives project <paramref name="index"/> one more instance, so its instances section changes.</summary>
    public string AddInstance(int index, int number)
    {
        var project = Projects[index];
        var instance = InventoryFile.Instance(project.Name, number, new Random(number));
        Projects[index] = project with { Instances = [.. project.Instances, instance] };
        WriteInventory();
        return instance.Name;
    }

    public Task<WikiSyncRun> SyncAsync(params string[] extra) => SyncWithAsync(Env, extra);

    public Task<WikiSyncRun> SyncWithAsync(IReadOnlyDictionary<string, string> env, params string[] extra) =>
        WikiSyncProcess.RunAsync(["sync", .. ProjectJobs, .. extra], env, timeout: TimeSpan.FromMinutes(5));

    /// <summary>Keeps a captured output for the secrets grep and for a person reading the artifacts.</summary>
    public static void Keep(string name, string output)
    {
        var folder = RepoPaths.Artifacts("captured-output");
        File.AppendAllText(Path.Combine(folder, name + ".log"), output + "\n");
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Figures a reliability test leaves for scripts/soak.sh's table (artifacts/soak/NAME.json).</summary>
public static class SoakFigures
{
    /// <summary>"full" under scripts/soak.sh, else the short version scripts/test.sh runs.</summary>
    public static bool Full => Environment.GetEnvironmentVariable("WIKISYNC_SOAK") == "full";

    public static void Write(string name, IReadOnlyDictionary<string, long> figures) =>
        File.WriteAllText(Path.Combine(RepoPaths.Artifacts("soak"), name + ".json"), JsonSerializer.Serialize(figures));
}
