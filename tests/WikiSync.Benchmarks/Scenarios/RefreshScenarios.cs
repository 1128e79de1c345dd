using System.Diagnostics;
using System.Text;
using System.Text.Json;
using WikiSync.IntegrationTests.Support;
using WikiSync.Sync;

namespace WikiSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 6 (a) and (b): a full refresh of N project pages with nothing changed (WikiSync vs mwn) and with
/// k pages changed (WikiSync vs a raw edit loop). Every client goes through the same counting proxy.
/// </summary>
public sealed class RefreshScenarios(BenchContext context, FaultProxy proxy)
{
    private readonly string _inventory = Path.Combine(context.WorkDir, "refresh-inventory.yaml");
    private readonly string _state = Path.Combine(context.WorkDir, "refresh-state");
    private List<InventoryProject> _projects = [];
    private Sample _wikisyncUnchanged = new([]);
    private Sample _baselineUnchanged = new([]);

    // An earlier build (WIKISYNC_BENCH_BASELINE: the `wikisync` of scripts/publish.sh run on another commit),
    // timed in the same runs as this one, one after the other, with a state folder of its own: on a shared
    // machine only figures measured side by side compare.
    private readonly string? _baseline = System.Environment.GetEnvironmentVariable("WIKISYNC_BENCH_BASELINE") is { Length: > 0 } b ? b : null;
    private readonly string _baselineState = Path.Combine(context.WorkDir, "refresh-state-baseline");

    private IEnumerable<string> Titles => _projects.Select(p => BenchContext.PageOf(p.Name));

    private Dictionary<string, string> EnvironmentOf(string inventory, bool baseline)
    {
        var env = context.WikiSyncEnvironment(proxy, inventory, baseline ? _baselineState : _state);
        if (baseline)
            env["WIKISYNC_TEST_EXECUTABLE"] = _baseline!;
        return env;
    }

    private Task<WikiSyncRun> SyncAsync(CancellationToken ct, bool baseline = false) =>
        WikiSyncProcess.RunAsync(["sync", .. BenchContext.ProjectPageJobs], EnvironmentOf(_inventory, baseline),
            measureMemory: true, timeout: TimeSpan.FromMinutes(30), ct: ct);

    /// <summary>Creates the pages with WikiSync and checks a second pass finds them current.</summary>
    public async Task SetUpAsync(CancellationToken ct)
    {
        _projects = InventoryFile.Generate("bench", context.Options.Pages);
        InventoryFile.Write(_inventory, _projects);
        Directory.CreateDirectory(_state);
        Console.Error.WriteLine($"refresh: creating {_projects.Count} pages (not timed)");
        var first = await SyncAsync(ct);
        if (first.ExitCode != 0)
            throw new InvalidOperationException($"setting up: wikisync sync exited {first.ExitCode}\n{Tail(first.Output)}");
        var second = await SyncAsync(ct);
        var unchanged = second.PageLines("unchanged").Count;
        if (second.ExitCode != 0 || unchanged != _projects.Count)
            throw new InvalidOperationException($"setting up: second pass left {unchanged} of {_projects.Count} pages unchanged (exit {second.ExitCode})\n{Tail(second.Output)}");
        if (_baseline is not null)
        {
            // The baseline verifies the same pages in its own store (reading each once), as this build did above.
            Directory.CreateDirectory(_baselineState);
            for (var pass = 0; pass < 2; pass++)
            {
                var run = await SyncAsync(ct, baseline: true);
                if (run.ExitCode != 0 || run.PageLines("unchanged").Count != _projects.Count)
                    throw new InvalidOperationException($"setting up the baseline {_baseline}: exit {run.ExitCode}\n{Tail(run.Output)}");
            }
        }
    }

    public async Task<ScenarioResult> NothingChangedAsync(CancellationToken ct)
    {
        var n = _projects.Count;
        var wall = new List<double>();
        var requests = new List<double>();
        var edits = new List<double>();
        var rss = new List<double>();
        var (baseWall, baseRequests, baseEdits, baseRss) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var run = 0; run < context.Options.Runs; run++)
        {
            if (_baseline is not null)
            {
                proxy.ResetCounters();
                var before = await SyncAsync(ct, baseline: true);
                if (before.ExitCode != 0)
                    throw new InvalidOperationException($"baseline wikisync sync exited {before.ExitCode}\n{Tail(before.Output)}");
                baseWall.Add(before.Elapsed.TotalSeconds);
                baseRequests.Add(proxy.Requests);
                baseEdits.Add(proxy.RequestsByAction.GetValueOrDefault("edit"));
                baseRss.Add((before.PeakRssKb ?? 0) / 1024.0);
                Console.Error.WriteLine($"refresh: baseline run {run + 1}: {before.Elapsed.TotalSeconds:0.00} s, {proxy.Requests} requests");
            }
            proxy.ResetCounters();
            var result = await SyncAsync(ct);
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"wikisync sync exited {result.ExitCode}\n{Tail(result.Output)}");
            wall.Add(result.Elapsed.TotalSeconds);
            requests.Add(proxy.Requests);
            edits.Add(proxy.RequestsByAction.GetValueOrDefault("edit"));
            rss.Add((result.PeakRssKb ?? 0) / 1024.0);
            Console.Error.WriteLine($"refresh: wikisync run {run + 1}: {result.Elapsed.TotalSeconds:0.00} s, {proxy.Requests} requests");
        }
        _wikisyncUnchanged = new Sample(wall);

        var sections = Path.Combine(context.WorkDir, "sections.json");
        await WriteSectionsAsync(sections, ct);
        var mwn = await RunMwnAsync(sections, skipUnchanged: false, ct);
        var mwnSkip = await RunMwnAsync(sections, skipUnchanged: true, ct);

        var ws = new Sample(wall);
        var wsRequests = new Sample(requests);
        var speedup = mwn.Wall.Median / ws.Median;
        var speedupSkip = mwnSkip.Wall.Median / ws.Median;
        var md = new StringBuilder();
        md.AppendLine($"{n} project pages (`Nova Resource:bench-NNNNN`), each with the `instances`, `members` and `sal` sections, already current. ");
        md.AppendLine("WikiSync: `wikisync sync --job instances --job members --job sal-recent` (a new process each run: start-up, inventory, render, batched reads). ");
        md.AppendLine("mwn 3.0.3: `Mwn.init` (login) then `bot.edit(title, rev => ...)` per page, sequentially, splicing ready-made section texts (mwn is not charged for rendering). ");
        md.AppendLine("\"mwn, skip unchanged\" is the same script whose transform returns nothing when the text is the same (no write). All requests counted by the same proxy.");
        md.AppendLine();
        md.AppendLine("| client | wall time, s | HTTP requests | edits sent | peak RSS, MB |");
        md.AppendLine("| --- | --- | --- | --- | --- |");
        md.AppendLine($"| WikiSync | {ws.Format()} | {wsRequests.Format("0")} | {new Sample(edits).Format("0")} | {new Sample(rss).Format("0")} |");
        if (_baseline is not null)
        {
            _baselineUnchanged = new Sample(baseWall);
            md.AppendLine($"| WikiSync baseline (`{_baseline}`, runs alternated with the row above) | {_baselineUnchanged.Format()} | {new Sample(baseRequests).Format("0")} | " +
                          $"{new Sample(baseEdits).Format("0")} | {new Sample(baseRss).Format("0")} |");
        }
        md.AppendLine($"| mwn (edit per page) | {mwn.Wall.Format()} | {mwn.Requests.Format("0")} | {mwn.Edits.Format("0")} | – |");
        md.AppendLine($"| mwn, skip unchanged | {mwnSkip.Wall.Format()} | {mwnSkip.Requests.Format("0")} | {mwnSkip.Edits.Format("0")} | – |");
        md.AppendLine();
        md.AppendLine($"Ratios (medians): mwn / WikiSync wall time **{Fmt.Ratio(speedup)}** (skip-unchanged variant {Fmt.Ratio(speedupSkip)}); " +
                      $"requests {Fmt.Ratio(mwn.Requests.Median / wsRequests.Median)} fewer." +
                      (_baseline is null ? "" : $" Baseline: mwn / baseline {Fmt.Ratio(mwn.Wall.Median / _baselineUnchanged.Median)}, baseline / WikiSync {Fmt.Ratio(_baselineUnchanged.Median / ws.Median)}."));
        return new ScenarioResult("Refresh, nothing changed", md.ToString(),
        [
            new("refresh: WikiSync requests", "≤ 25", wsRequests.Format("0"), wsRequests.Max <= 25),
            new("refresh: mwn / WikiSync wall time", "≥ 20×", Fmt.Ratio(speedup), speedup >= 20, $"skip-unchanged mwn: {Fmt.Ratio(speedupSkip)}"),
        ]);
    }

    public async Task<ScenarioResult> ChangedAsync(CancellationToken ct)
    {
        var md = new StringBuilder();
        md.AppendLine("A full refresh in which k projects gained an instance (so k pages change), against a plain HTTP loop that makes k edits of the same size ");
        md.AppendLine("(login once, token once, one `action=edit` each; it writes the previous texts back, so both sides really change k pages each run). ");
        md.AppendLine("Two ways to run WikiSync: **cold**, `wikisync sync --job instances --job members --job sal-recent` (a new process each run: start-up, JIT, ");
        md.AppendLine("inventory, render, reads); **warm**, `wikisync run` already started with the jobs instances, members and sal-recent (their schedules moved ");
        md.AppendLine("off so no scheduled pass overlaps a timed one) and a refresh of every project asked through its HTTP endpoint (`POST /refresh`, bearer token): ");
        md.AppendLine("the wall time runs from the request to `/metrics` counting one more finished `refresh all` run (polled every 50 ms, so it overshoots by up to that; the service's own run time is beside it). ");
        md.AppendLine("Each run: cold refresh, raw loop (puts the texts back), warm refresh, raw loop again; the raw loop column pools both loops. ");
        md.AppendLine("\"marginal\" subtracts the median refresh-with-nothing-changed time of the same way of running: the cost WikiSync adds per changed page set.");
        md.AppendLine();
        var targets = new List<TargetLine>();
        var changedInventory = Path.Combine(context.WorkDir, "refresh-inventory-changed.yaml");
        var warmInventory = Path.Combine(context.WorkDir, "refresh-inventory-warm.yaml");
        InventoryFile.Write(warmInventory, _projects);
        var warmEnv = context.WikiSyncEnvironment(proxy, warmInventory, Path.Combine(context.WorkDir, "refresh-state-warm"));
        warmEnv["WIKISYNC_JOBS"] = WarmService.WriteJobs(Path.Combine(context.WorkDir, "warm-jobs"));
        var service = await WarmService.StartAsync(warmEnv, ct);
        var rows = new List<string>();
        var warmUnchangedSample = new Sample([]);
        try
        {
            // Untimed: the first refresh reads every page and keeps what it verified; the next ones warm the code paths.
            for (var i = 0; i < 3; i++)
                await service.RefreshAsync(ct);
            var warmUnchanged = new List<double>();
            var warmUnchangedRequests = new List<double>();
            for (var run = 0; run < context.Options.Runs; run++)
            {
                proxy.ResetCounters();
                var (wall, own, result) = await service.RefreshAsync(ct);
                if (result != "succeeded" || proxy.RequestsByAction.GetValueOrDefault("edit") != 0)
                    throw new InvalidOperationException($"warm refresh with nothing changed: {result}, {proxy.RequestsByAction.GetValueOrDefault("edit")} edits\n{Tail(service.Output)}");
                warmUnchanged.Add(wall.TotalSeconds);
                warmUnchangedRequests.Add(proxy.Requests);
                Console.Error.WriteLine($"changed: warm refresh, nothing changed, run {run + 1}: {wall.TotalSeconds:0.000} s (service: {own:0.000} s), {proxy.Requests} requests");
            }
            warmUnchangedSample = new Sample(warmUnchanged);
            md.AppendLine($"Nothing changed, for the marginal: cold {_wikisyncUnchanged.Format()} s (the section above), warm {warmUnchangedSample.Format("0.000")} s, " +
                          $"{new Sample(warmUnchangedRequests).Format("0")} requests.");
            md.AppendLine();

            foreach (var k in context.Options.K.Where(k => k <= _projects.Count))
            {
                var changed = _projects.Select((p, i) => i < k
                    ? p with { Instances = [.. p.Instances, InventoryFile.Instance(p.Name, 99, new Random(i))] }
                    : p).ToList();
                InventoryFile.Write(changedInventory, changed);
                var changedTitles = _projects.Take(k).Select(p => BenchContext.PageOf(p.Name)).ToList();
                var coldWall = new List<double>();
                var warmWall = new List<double>();
                var warmOwn = new List<double>();
                var rawWall = new List<double>();
                var coldEdits = new List<int>();
                var warmEdits = new List<int>();
                var baseWall = new List<double>();
                var baseEdits = new List<int>();
                using var reader = new ApiSession(context.Api);
                for (var run = 0; run < context.Options.Runs; run++)
                {
                    var before = await reader.ReadAsync(changedTitles, ct);
                    proxy.ResetCounters();
                    var result = await WikiSyncProcess.RunAsync(["sync", .. BenchContext.ProjectPageJobs],
                        context.WikiSyncEnvironment(proxy, changedInventory, _state), timeout: TimeSpan.FromMinutes(30), ct: ct);
                    if (result.ExitCode != 0)
                        throw new InvalidOperationException($"wikisync sync (k={k}) exited {result.ExitCode}\n{Tail(result.Output)}");
                    coldWall.Add(result.Elapsed.TotalSeconds);
                    coldEdits.Add(proxy.RequestsByAction.GetValueOrDefault("edit"));
                    // The raw loop puts the old texts back, which also readies the next WikiSync run.
                    rawWall.Add(await RawLoopAsync(changedTitles, before, ct));
                    if (_baseline is not null)
                    {
                        proxy.ResetCounters();
                        var baseline = await WikiSyncProcess.RunAsync(["sync", .. BenchContext.ProjectPageJobs], EnvironmentOf(changedInventory, baseline: true),
                            timeout: TimeSpan.FromMinutes(30), ct: ct);
                        if (baseline.ExitCode != 0)
                            throw new InvalidOperationException($"baseline wikisync sync (k={k}) exited {baseline.ExitCode}\n{Tail(baseline.Output)}");
                        baseWall.Add(baseline.Elapsed.TotalSeconds);
                        baseEdits.Add(proxy.RequestsByAction.GetValueOrDefault("edit"));
                        rawWall.Add(await RawLoopAsync(changedTitles, before, ct));
                        Console.Error.WriteLine($"changed k={k} run {run + 1}: baseline cold {baseWall[^1]:0.00} s ({baseEdits[^1]} edits)");
                    }

                    InventoryFile.Write(warmInventory, changed);
                    proxy.ResetCounters();
                    var (wall, own, outcome) = await service.RefreshAsync(ct);
                    if (outcome != "succeeded")
                        throw new InvalidOperationException($"warm refresh (k={k}) {outcome}\n{Tail(service.Output)}");
                    warmWall.Add(wall.TotalSeconds);
                    warmOwn.Add(own);
                    warmEdits.Add(proxy.RequestsByAction.GetValueOrDefault("edit"));
                    rawWall.Add(await RawLoopAsync(changedTitles, before, ct));
                    Console.Error.WriteLine($"changed k={k} run {run + 1}: cold {coldWall[^1]:0.00} s ({coldEdits[^1]} edits), warm {warmWall[^1]:0.000} s " +
                                            $"(service {own:0.000} s, {warmEdits[^1]} edits), raw {rawWall[^2]:0.00} / {rawWall[^1]:0.00} s");
                }
                var raws = new Sample(rawWall);
                foreach (var (name, wall, edits, unchanged) in new[]
                         {
                             ("cold CLI", new Sample(coldWall), coldEdits, _wikisyncUnchanged),
                             ("warm service", new Sample(warmWall), warmEdits, warmUnchangedSample),
                         })
                {
                    var ratio = wall.Median / raws.Median;
                    var marginal = wall.Median - unchanged.Median;
                    var marginalRatio = marginal / raws.Median;
                    rows.Add($"| {k} | {name} | {wall.Format()} | {string.Join(", ", edits)} | {raws.Format()} | {Fmt.Ratio(ratio)} | {Fmt.F(marginal)} | {Fmt.Ratio(marginalRatio)} |");
                    targets.Add(new($"changed k={k}, {name}: edits", $"exactly {k}", string.Join(", ", edits.Distinct()), edits.All(e => e == k)));
                    targets.Add(new($"changed k={k}, {name}: WikiSync / raw loop", "≤ 1.1×", Fmt.Ratio(ratio), ratio <= 1.1, $"marginal {Fmt.Ratio(marginalRatio)}"));
                }
                rows.Add($"| {k} | (warm: the service's own run time) | {new Sample(warmOwn).Format("0.000")} | | | | | |");
                if (_baseline is not null)
                {
                    var wall = new Sample(baseWall);
                    rows.Add($"| {k} | cold CLI, baseline build | {wall.Format()} | {string.Join(", ", baseEdits)} | {raws.Format()} | {Fmt.Ratio(wall.Median / raws.Median)} | " +
                             $"{Fmt.F(wall.Median - _baselineUnchanged.Median)} | {Fmt.Ratio((wall.Median - _baselineUnchanged.Median) / raws.Median)} |");
                }
            }
        }
        finally
        {
            // The service's log (its per-pass phase timings) stays beside the other working files.
            await File.WriteAllTextAsync(Path.Combine(context.WorkDir, "warm-service.log"), service.Output, CancellationToken.None);
            await service.DisposeAsync();
        }
        md.AppendLine("| k | WikiSync | wall, s | edits (all runs) | raw loop wall, s | ratio | marginal WikiSync, s | marginal ratio |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var row in rows)
            md.AppendLine(row);
        // Leave the wiki as the unchanged inventory says, for whoever runs next.
        await SyncAsync(ct);
        return new ScenarioResult("Refresh, k pages changed", md.ToString(), targets);
    }

    private async Task<double> RawLoopAsync(IReadOnlyList<string> titles, IReadOnlyDictionary<string, ApiPage> texts, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var raw = new ApiSession(proxy.Rewrite(context.Api));
        await raw.LoginAsync(context.User, context.Password, ct);
        await raw.CsrfTokenAsync(ct);
        foreach (var title in titles)
            await raw.EditAsync(title, texts[title].Text, "Update generated sections", bot: true, ct: ct);
        return watch.Elapsed.TotalSeconds;
    }

    private sealed record MwnResult(Sample Wall, Sample Requests, Sample Edits);

    private async Task<MwnResult> RunMwnAsync(string sections, bool skipUnchanged, CancellationToken ct)
    {
        var folder = Path.Combine(RepoPaths.Root, "tests", "WikiSync.Benchmarks", "mwn");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "mwn")) && context.Options.Smoke)
            return new MwnResult(new Sample([]), new Sample([]), new Sample([]));
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "mwn")))
            throw new InvalidOperationException("mwn is not installed: run `npm ci` in tests/WikiSync.Benchmarks/mwn (scripts/bench.sh does)");
        var wall = new List<double>();
        var requests = new List<double>();
        var edits = new List<double>();
        for (var run = 0; run < context.Options.MwnRuns; run++)
        {
            proxy.ResetCounters();
            var start = new ProcessStartInfo("node", ["refresh.js", sections, .. skipUnchanged ? new[] { "skip-unchanged" } : []])
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["WIKISYNC_WIKI_API"] = proxy.Rewrite(context.Api).ToString();
            start.Environment["WIKISYNC_WIKI_USER"] = context.User;
            start.Environment["WIKISYNC_WIKI_PASSWORD"] = context.Password;
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            watch.Stop();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"mwn exited {process.ExitCode}: {Tail(await stderr)}");
            _ = await stdout;
            wall.Add(watch.Elapsed.TotalSeconds);
            requests.Add(proxy.Requests);
            edits.Add(proxy.RequestsByAction.GetValueOrDefault("edit"));
            Console.Error.WriteLine($"refresh: mwn{(skipUnchanged ? " skip-unchanged" : "")} run {run + 1}: {watch.Elapsed.TotalSeconds:0.00} s, {proxy.Requests} requests");
        }
        return new MwnResult(new Sample(wall), new Sample(requests), new Sample(edits));
    }

    /// <summary>sections.json: for each page, the text inside each of its markers, as WikiSync last wrote it.</summary>
    private async Task WriteSectionsAsync(string path, CancellationToken ct)
    {
        using var reader = new ApiSession(context.Api);
        var pages = await reader.ReadAsync(Titles, ct);
        var result = new Dictionary<string, Dictionary<string, string>>();
        foreach (var (title, page) in pages)
        {
            var scan = MarkerScan.Of(page.Text);
            var sections = new Dictionary<string, string>();
            foreach (var block in scan.Blocks)
            {
                var innerStart = page.Text.IndexOf("-->", block.Start, StringComparison.Ordinal) + 3;
                var innerEnd = page.Text.LastIndexOf("<!--", block.End - 1, StringComparison.Ordinal);
                sections[block.Name] = page.Text[innerStart..innerEnd];
            }
            result[title] = sections;
        }
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result), ct);
    }

    internal static string Tail(string text, int lines = 30) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
