using WikiSync.IntegrationTests.Support;

namespace WikiSync.Benchmarks;

/// <summary>The sizes of a run; --smoke makes them tiny so the harness itself can be tested quickly.</summary>
public sealed record BenchOptions(
    int Pages = 1000,
    int Runs = 5,
    int MwnRuns = 3,
    IReadOnlyList<int>? ChangedK = null,
    int ScaleProjects = 10_000,
    int ScaleRuns = 3,
    int SalEntries = 200,
    IReadOnlyList<int>? History = null,
    bool Micro = true,
    bool Smoke = false,
    IReadOnlyList<string>? Only = null,
    string? Output = null)
{
    public IReadOnlyList<int> K => ChangedK ?? [10, 100];

    /// <summary>The history sizes of the sal-history scenario (issue 14 §1).</summary>
    public IReadOnlyList<int> HistorySizes => History ?? (Smoke ? [10, 100] : [100, 100_000, 1_000_000]);

    public bool Wants(string scenario) => Only is null || Only.Count == 0 || Only.Contains(scenario, StringComparer.OrdinalIgnoreCase);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        var only = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--smoke" => o with { Pages = 4, Runs = 1, MwnRuns = 1, ChangedK = [2], ScaleProjects = 20, ScaleRuns = 1, SalEntries = 4, Micro = false, Smoke = true },
                "--pages" => o with { Pages = Int() },
                "--runs" => o with { Runs = Int() },
                "--mwn-runs" => o with { MwnRuns = Int() },
                "--k" => o with { ChangedK = [.. Next().Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))] },
                "--scale" => o with { ScaleProjects = Int() },
                "--scale-runs" => o with { ScaleRuns = Int() },
                "--sal" => o with { SalEntries = Int() },
                "--history" => o with { History = [.. Next().Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))] },
                "--no-micro" => o with { Micro = false },
                "--out" => o with { Output = Next() },
                "--only" => o with { Only = [.. only.Append(Next())] },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
            only = [.. o.Only ?? []];
        }
        return o;
    }
}

/// <summary>The wiki the benchmarks run against (from scripts/local-wiki.sh env) and the work folder.</summary>
public sealed class BenchContext
{
    public required Uri Api { get; init; }

    public required string User { get; init; }

    public required string Password { get; init; }

    public required string WorkDir { get; init; }

    public required BenchOptions Options { get; init; }

    public static BenchContext FromEnvironment(BenchOptions options)
    {
        string Need(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
            ? v : throw new InvalidOperationException($"{name} is not set: run through scripts/bench.sh, or eval \"$(scripts/local-wiki.sh env)\" first");
        return new BenchContext
        {
            Api = new Uri(Need("WIKISYNC_WIKI_API")),
            User = Need("WIKISYNC_WIKI_USER"),
            Password = Need("WIKISYNC_WIKI_PASSWORD"),
            WorkDir = NewWorkDir(),
            Options = options,
        };
    }

    /// <summary>A new dated folder under .servers/bench/ for one run's files.</summary>
    public static string NewWorkDir()
    {
        var work = Path.Combine(RepoPaths.Root, ".servers", "bench", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(work);
        return work;
    }

    /// <summary>The environment a `wikisync` run gets: the wiki through <paramref name="proxy"/>, its own inventory and state.</summary>
    public Dictionary<string, string> WikiSyncEnvironment(FaultProxy proxy, string inventory, string state) => new()
    {
        ["WIKISYNC_WIKI_API"] = proxy.Rewrite(Api).ToString(),
        ["WIKISYNC_WIKI_USER"] = User,
        ["WIKISYNC_WIKI_PASSWORD"] = Password,
        ["WIKISYNC_INVENTORY"] = inventory,
        ["WIKISYNC_DATA"] = state,
        ["WIKISYNC_JOBS"] = RepoPaths.Jobs,
        ["WIKISYNC_TEMPLATES"] = RepoPaths.Templates,
    };

    /// <summary>The project page jobs: instances, members and the recent SAL, all on Nova Resource:NAME.</summary>
    public static IReadOnlyList<string> ProjectPageJobs { get; } = ["--job", "instances", "--job", "members", "--job", "sal-recent"];

    public static string PageOf(string project) => "Nova Resource:" + project;
}
