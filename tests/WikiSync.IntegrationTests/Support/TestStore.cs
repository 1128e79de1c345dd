using System.Collections.Concurrent;
using WikiSync.Storage;

namespace WikiSync.IntegrationTests.Support;

/// <summary>
/// Which store the tests give WikiSync. scripts/test.sh runs the core and SAL tests a second time with
/// WIKISYNC_TEST_STORE=postgres (issue 5: the same suite passes on PostgreSQL); each state folder then gets a
/// fresh database of its own, so one test's processes share it and no two tests see each other's rows.
/// </summary>
public static class TestStore
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Databases = new(StringComparer.Ordinal);
    private static readonly Lazy<Task<PostgresFixture>> Postgres = new(async () =>
    {
        var fixture = new PostgresFixture();
        await fixture.InitializeAsync();
        return fixture;
    });

    public static bool IsPostgres =>
        string.Equals(Environment.GetEnvironmentVariable("WIKISYNC_TEST_STORE"), "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The environment a `wikisync` process gets: as given, plus WIKISYNC_STORE for the state folder's database
    /// when the run is on PostgreSQL and the test did not choose a store itself.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> ApplyAsync(IReadOnlyDictionary<string, string> environment)
    {
        if (!IsPostgres || environment.ContainsKey("WIKISYNC_STORE"))
            return environment;
        var data = environment.TryGetValue("WIKISYNC_DATA", out var folder) ? Path.GetFullPath(folder) : "";
        var store = await Databases.GetOrAdd(data, _ => new Lazy<Task<string>>(NewDatabaseAsync)).Value;
        return new Dictionary<string, string>(environment) { ["WIKISYNC_STORE"] = store };
    }

    /// <summary>Blocks on the first database of a folder: process starts are where tests wait anyway.</summary>
    internal static IReadOnlyDictionary<string, string> Apply(IReadOnlyDictionary<string, string> environment) =>
        ApplyAsync(environment).GetAwaiter().GetResult();

    /// <summary>A store for tests that wire WikiSync in process: a fresh PostgreSQL database, or null for SQLite.</summary>
    public static async Task<IStore?> InProcessAsync() =>
        IsPostgres ? new PostgresStore(await NewDatabaseAsync()) : null;

    private static async Task<string> NewDatabaseAsync() => await (await Postgres.Value).NewDatabaseAsync();
}
