using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using WikiSync.IntegrationTests.Support;
using WikiSync.Storage;

namespace WikiSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 14 §1: the cost of the Server Admin Log against the length of its history. For each history size
/// (entries of 20 projects over two years, seeded straight into the SQLite store, already published): one
/// `wikisync log` (stored and published) and one pass over the log pages with nothing new (`wikisync sync
/// --job sal --job sal-recent`). The last two months hold the same entries at every size (at most 100):
/// what grows is the history, not what the current pages show.
/// </summary>
public sealed class SalHistoryScenario(BenchContext context, FaultProxy proxy)
{
    private const int Projects = 20;
    private const int Recent = 100;

    public async Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        var rows = new List<(int Size, Sample LogTime, Sample LogRss, Sample PassTime, Sample PassRss)>();
        foreach (var size in context.Options.HistorySizes)
            rows.Add(await MeasureAsync(size, ct));

        var md = new StringBuilder();
        md.AppendLine($"{Projects} projects; history seeded straight into the SQLite store over two years, the last two months holding the same ");
        md.AppendLine($"{Recent} entries at every size. `log`: `wikisync log PROJECT MESSAGE` (stored and published: full log, recent section, ");
        md.AppendLine("the archive month that closed last). `pass`: `wikisync sync --job sal --job sal-recent`, nothing new. Peak RSS from `/usr/bin/time -v`; ");
        md.AppendLine("ratios against the smallest history.");
        md.AppendLine();
        md.AppendLine("| entries | log: time, s | log: peak RSS, MB | pass: time, s | pass: peak RSS, MB | log time ratio | log RSS ratio | pass time ratio | pass RSS ratio |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var first = rows[0];
        foreach (var r in rows)
        {
            md.AppendLine($"| {r.Size:N0} | {r.LogTime.Format()} | {r.LogRss.Format("0")} | {r.PassTime.Format()} | {r.PassRss.Format("0")} | "
                + $"{Fmt.Ratio(r.LogTime.Median / first.LogTime.Median)} | {Fmt.Ratio(r.LogRss.Median / first.LogRss.Median)} | "
                + $"{Fmt.Ratio(r.PassTime.Median / first.PassTime.Median)} | {Fmt.Ratio(r.PassRss.Median / first.PassRss.Median)} |");
        }
        var last = rows[^1];
        var timeRatio = last.LogTime.Median / first.LogTime.Median;
        var rssRatio = last.LogRss.Median / first.LogRss.Median;
        return new ScenarioResult("SAL cost against the length of the history", md.ToString(),
        [
            new($"log at {last.Size:N0} entries vs {first.Size:N0}: time", "≤ 1.2×", Fmt.Ratio(timeRatio), timeRatio <= 1.2),
            new($"log at {last.Size:N0} entries vs {first.Size:N0}: peak RSS", "≤ 1.2×", Fmt.Ratio(rssRatio), rssRatio <= 1.2),
        ]);
    }

    private async Task<(int, Sample, Sample, Sample, Sample)> MeasureAsync(int size, CancellationToken ct)
    {
        var prefix = $"hist{size}";
        var inventory = Path.Combine(context.WorkDir, $"{prefix}-inventory.yaml");
        var state = Path.Combine(context.WorkDir, $"{prefix}-state");
        Directory.CreateDirectory(state);
        var projects = InventoryFile.Generate(prefix, Projects, seed: 11);
        InventoryFile.Write(inventory, projects);
        var env = context.WikiSyncEnvironment(proxy, inventory, state);
        Check(await WikiSyncProcess.RunAsync(["store", "migrate"], env, ct: ct), "store migrate");
        var seeding = System.Diagnostics.Stopwatch.StartNew();
        Seed(Path.Combine(state, SqliteStore.FileName), [.. projects.Select(p => p.Name)], size);
        Console.Error.WriteLine($"sal-history: {size} entries seeded in {seeding.Elapsed.TotalSeconds:0.0} s");

        var project = projects[0].Name;
        string[] pass = ["sync", "--job", "sal", "--job", "sal-recent"];
        // Pages made once (the first log creates its project's pages, the first pass the others').
        Check(await WikiSyncProcess.RunAsync(["log", project, "warm-up", "--author", "bench"], env, timeout: TimeSpan.FromMinutes(10), ct: ct), "log");
        Check(await WikiSyncProcess.RunAsync(pass, env, timeout: TimeSpan.FromMinutes(10), ct: ct), "sync");

        var (logTime, logRss, passTime, passRss) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var run = 0; run < context.Options.Runs; run++)
        {
            var log = Check(await WikiSyncProcess.RunAsync(["log", project, $"bench entry {run}", "--author", "bench"], env, measureMemory: true, ct: ct), "log");
            if (!log.Stdout.Contains("\npublished", StringComparison.Ordinal) && !log.Stdout.StartsWith("published", StringComparison.Ordinal))
                throw new InvalidOperationException($"wikisync log did not publish: {RefreshScenarios.Tail(log.Output)}");
            logTime.Add(log.Elapsed.TotalSeconds);
            logRss.Add((log.PeakRssKb ?? double.NaN) / 1024.0);
            var sync = Check(await WikiSyncProcess.RunAsync(pass, env, measureMemory: true, ct: ct), "sync");
            passTime.Add(sync.Elapsed.TotalSeconds);
            passRss.Add((sync.PeakRssKb ?? double.NaN) / 1024.0);
            Console.Error.WriteLine($"sal-history {size}: log {logTime[^1]:0.00} s {logRss[^1]:0} MB, pass {passTime[^1]:0.00} s {passRss[^1]:0} MB");
        }
        return (size, new Sample(logTime), new Sample(logRss), new Sample(passTime), new Sample(passRss));
    }

    private static WikiSyncRun Check(WikiSyncRun run, string what) =>
        run.ExitCode == 0 ? run : throw new InvalidOperationException($"wikisync {what} exited {run.ExitCode}\n{RefreshScenarios.Tail(run.Output)}");

    /// <summary>
    /// <paramref name="size"/> published entries: up to <see cref="Recent"/> in the last 20 days, the rest
    /// spread over the two years before the previous month. One transaction, one prepared insert.
    /// </summary>
    private static void Seed(string file, IReadOnlyList<string> projects, int size)
    {
        using var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO sal_entries (idempotency_key, project, author, message, channel, received_utc, published_revision, published_utc)
            VALUES ($key, $project, $author, $message, '#bench', $at, 1, $at)
            """;
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        var project = insert.Parameters.Add("$project", SqliteType.Text);
        var author = insert.Parameters.Add("$author", SqliteType.Text);
        var message = insert.Parameters.Add("$message", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        insert.Prepare();
        var now = DateTimeOffset.UtcNow;
        var archiveEnd = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-1);
        var archiveStart = archiveEnd.AddYears(-2);
        var recent = Math.Min(size, Recent);
        for (var i = 0; i < size; i++)
        {
            var time = i < recent
                ? now.AddDays(-20).AddTicks((long)((now - now.AddDays(-20)).Ticks * (i + 0.5) / recent))
                : archiveStart.AddTicks((long)((archiveEnd - archiveStart).Ticks * ((i - recent) + 0.5) / (size - recent)));
            key.Value = $"bench-{size}-{i}";
            project.Value = projects[i % projects.Count];
            author.Value = $"nick{i % 37}";
            message.Value = $"restarted service {i % 101} on host-{i % 53} after T{100000 + i}";
            at.Value = Dialect.ToDb(SqlDialect.Sqlite, time);
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
