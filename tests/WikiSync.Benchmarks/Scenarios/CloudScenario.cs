using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 13 §4, over the real cloud of scripts/local-openstack.sh. Boot → page: from a server's
/// <c>instance.create.end</c> (Nova's timestamp) to the wiki's answer to the edit whose text first shows it, as
/// the proxy in front of the wiki sees it; 20 servers booted one after the other and a burst of 10 at once, with
/// `wikisync run` as users run it (the shipped job files and schedules), once with the notifications queue and
/// once polling only, while 100 other servers run in 10 other projects (a cloud's listing is mostly other projects'
/// servers). Then the cost of a full instances pass over those 100 servers.
/// </summary>
public sealed class CloudScenario(BenchContext context, FaultProxy proxy)
{
    private const string Queue = "wikisync-bench";
    private static readonly Uri Amqp = new("amqp://guest:guest@127.0.0.1:5672/");

    private readonly ConcurrentDictionary<string, DateTimeOffset> _shown = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _watched = new(StringComparer.Ordinal);

    public async Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        await using var cloud = new OpenStackCloud();
        await cloud.StartAsync();
        await using var events = await NovaEvents.ListenAsync(Amqp, ct);
        var paced = context.Options.Smoke ? 2 : 20;
        var burst = context.Options.Smoke ? 2 : 10;

        var background = await BootBackgroundAsync(cloud, ct);
        try
        {
            return await MeasureAsync(cloud, events, background, paced, burst, ct);
        }
        finally
        {
            foreach (var id in background.Servers)
                await cloud.DeleteServerAsync(id, wait: false, CancellationToken.None);
        }
    }

    /// <summary>The servers every project but bots has: 10 projects of the benchmark's own, 10 servers each.</summary>
    private sealed record Background(IReadOnlyList<string> Projects, IReadOnlyList<string> Servers);

    private async Task<Background> BootBackgroundAsync(OpenStackCloud cloud, CancellationToken ct)
    {
        var projects = context.Options.Smoke ? 2 : 10;
        var perProject = context.Options.Smoke ? 1 : 10;
        var names = Enumerable.Range(0, projects).Select(p => $"bench-cloud-{p:D2}").ToList();
        foreach (var name in names)
            await cloud.EnsureProjectAsync(name, "WikiSync benchmark project", ct);
        var booted = new ConcurrentBag<string>();
        var run = Guid.NewGuid().ToString("N")[..6];
        try
        {
            // Ten at a time: Nova's scheduler and the fake driver take them as fast as that.
            await Parallel.ForEachAsync(names.SelectMany(p => Enumerable.Range(0, perProject).Select(i => (Project: p, Name: $"{p}-{run}-{i:D2}"))),
                new ParallelOptions { MaxDegreeOfParallelism = 10, CancellationToken = ct },
                async (server, token) => booted.Add(await cloud.BootInAsync(server.Project, server.Name, "m1.tiny", token)));
        }
        catch
        {
            foreach (var id in booted)
                await cloud.DeleteServerAsync(id, wait: false, CancellationToken.None);
            throw;
        }
        return new Background(names, [.. booted]);
    }

    private async Task<ScenarioResult> MeasureAsync(OpenStackCloud cloud, NovaEvents events, Background background, int paced, int burst, CancellationToken ct)
    {
        var md = new StringBuilder();
        md.AppendLine("### Boot → page");
        md.AppendLine();
        md.AppendLine($"`wikisync run` with the shipped job files and schedules (instances every minute), instances from the local cloud ");
        md.AppendLine($"(admin account, all-projects listing), on `Nova Resource:bots`. {paced} servers booted one after the other (each waited ");
        md.AppendLine($"for ACTIVE), then {burst} at once. Latency = from the server's `instance.create.end` (Nova's timestamp) to the wiki's answer ");
        md.AppendLine("to the first edit whose text shows it ACTIVE, as the proxy in front of the wiki sees it. Meanwhile ");
        md.AppendLine($"{background.Servers.Count} other servers run in {background.Projects.Count} other projects, as in a cloud where most of the listing is other projects' servers.");
        md.AppendLine();
        md.AppendLine("| mode | boots | shown | p50, s | p95, s | max, s | edits of the page |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        var targets = new List<TargetLine>();
        proxy.Exchanged += Observe;
        try
        {
            foreach (var pushed in new[] { true, false })
            {
                var mode = pushed ? "notifications" : "polling only";
                var (pacedSample, burstSample, edits, shown) = await BootToPageAsync(cloud, events, pushed, paced, burst, ct);
                foreach (var (kind, sample, n) in new[] { ("paced", pacedSample, paced), ("burst", burstSample, burst) })
                {
                    md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {mode}, {kind} | {n} | {sample.Values.Count} | {Fmt.F(sample.Percentile(50))} | {Fmt.F(sample.Percentile(95))} | {Fmt.F(sample.Max)} | {(kind == "paced" ? edits.ToString(CultureInfo.InvariantCulture) : "")} |"));
                    if (pushed)
                        targets.Add(new($"boot → page with notifications, {kind}, p95", "≤ 2 s", Fmt.F(sample.Percentile(95)) + " s",
                            sample.Values.Count == n && sample.Percentile(95) <= 2.0, $"{sample.Values.Count} of {n} shown"));
                }
                Console.Error.WriteLine($"cloud: {mode}: {shown} shown, {edits} edits");
            }
        }
        finally
        {
            proxy.Exchanged -= Observe;
        }

        var (passMarkdown, passTarget) = await FullPassAsync(cloud, background, ct);
        md.AppendLine();
        md.Append(passMarkdown);
        targets.Add(passTarget);
        return new ScenarioResult("OpenStack: boot → page, and a full pass (issue 13)", md.ToString(), targets);
    }

    private async Task<(Sample Paced, Sample Burst, int Edits, int Shown)> BootToPageAsync(OpenStackCloud cloud, NovaEvents events, bool pushed,
        int paced, int burst, CancellationToken ct)
    {
        var tag = (pushed ? "push" : "poll") + "-" + Guid.NewGuid().ToString("N")[..6];
        var folder = Path.Combine(context.WorkDir, "cloud-" + tag);
        Directory.CreateDirectory(folder);
        var inventory = Path.Combine(folder, "inventory.yaml");
        InventoryFile.Write(inventory, [new InventoryProject("bots", "IRC and wiki bots", [], [])]);
        var env = context.WikiSyncEnvironment(proxy, inventory, folder);
        foreach (var (key, value) in cloud.AdminEnvironment)
            env[key] = value;
        env["WIKISYNC_SOURCES_INSTANCES"] = "openstack";
        if (pushed)
        {
            env["WIKISYNC_OPENSTACK_NOTIFICATIONS_URL"] = Amqp.ToString();
            env["WIKISYNC_OPENSTACK_NOTIFICATIONS_QUEUE"] = Queue;
        }

        var booted = new List<string>();
        var names = new List<string>();
        await using var service = await WarmService.StartAsync(env, ct);
        var editsBefore = proxy.RequestsByAction.GetValueOrDefault("edit");
        try
        {
            for (var i = 0; i < paced; i++)
            {
                var name = $"{tag}-p{i:D2}";
                Watch(name, names);
                booted.Add(await cloud.BootAsync(name, "m1.tiny", new Dictionary<string, string>(), ct));
            }
            var together = Enumerable.Range(0, burst).Select(i => $"{tag}-b{i:D2}").ToList();
            foreach (var name in together)
                Watch(name, names);
            booted.AddRange(await Task.WhenAll(together.Select(name => cloud.BootAsync(name, "m1.tiny", new Dictionary<string, string>(), ct))));

            // Polling shows a server at the next minute's pass: up to a minute and a pass after the last boot.
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(pushed ? 2 : 4);
            while (names.Any(n => !_shown.ContainsKey(n) || !events.Created.ContainsKey(n)) && DateTime.UtcNow < deadline)
                await Task.Delay(200, ct);
            var edits = proxy.RequestsByAction.GetValueOrDefault("edit") - editsBefore;
            Sample Of(string kind) => new([.. names.Where(n => n.Contains("-" + kind, StringComparison.Ordinal)
                    && _shown.ContainsKey(n) && events.Created.ContainsKey(n))
                .Select(n => Math.Max(0, (_shown[n] - events.Created[n]).TotalSeconds))]);
            return (Of("p"), Of("b"), edits, names.Count(_shown.ContainsKey));
        }
        finally
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "wikisync-run.log"), service.Output, CancellationToken.None);
            foreach (var id in booted)
                await cloud.DeleteServerAsync(id, wait: false, CancellationToken.None);
            if (pushed)
                await events.DeleteQueueAsync(Queue, CancellationToken.None);
        }
    }

    private void Watch(string name, List<string> names)
    {
        names.Add(name);
        _watched[name] = 0;
    }

    private void Observe(ProxyExchange exchange)
    {
        if (exchange.SavedText is not { } text)
            return;
        foreach (var name in _watched.Keys)
        {
            // Shown running: a refresh woken by the server's earlier events (create.start, update) may list it
            // while it builds, before its create.end; that row does not count.
            if (text.Contains($"| {name} || ACTIVE ||", StringComparison.Ordinal))
                _shown.TryAdd(name, exchange.At);
        }
    }

    /// <summary>
    /// `wikisync sync --job instances` over the background's projects: the first pass writes the sections, the
    /// next ones find nothing changed.
    /// </summary>
    private async Task<(string Markdown, TargetLine Target)> FullPassAsync(OpenStackCloud cloud, Background background, CancellationToken ct)
    {
        var names = background.Projects;
        var projects = names.Count;
        var perProject = background.Servers.Count / Math.Max(1, projects);
        var folder = Path.Combine(context.WorkDir, "cloud-pass");
        Directory.CreateDirectory(folder);
        var inventory = Path.Combine(folder, "inventory.yaml");
        InventoryFile.Write(inventory, [.. names.Select(n => new InventoryProject(n, "WikiSync benchmark project", [], []))]);
        var env = context.WikiSyncEnvironment(proxy, inventory, folder);
        foreach (var (key, value) in cloud.AdminEnvironment)
            env[key] = value;
        env["WIKISYNC_SOURCES_INSTANCES"] = "openstack";
        var rows = new StringBuilder();
        var runs = context.Options.Smoke ? 2 : Math.Max(3, context.Options.Runs);
        var steady = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            proxy.ResetCounters();
            var result = await WikiSyncProcess.RunAsync(["sync", "--job", "instances"], env, measureMemory: true, timeout: TimeSpan.FromMinutes(10), ct: ct);
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"wikisync sync --job instances exited {result.ExitCode}\n{RefreshScenarios.Tail(result.Output)}");
            var edits = proxy.RequestsByAction.GetValueOrDefault("edit");
            if (i > 0)
                steady.Add(result.Elapsed.TotalSeconds);
            rows.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(i == 0 ? "first (writes the sections)" : "again, nothing changed")} | {Fmt.F(result.Elapsed.TotalSeconds)} | {proxy.Requests} | {edits} | {Fmt.F((result.PeakRssKb ?? 0) / 1024.0, "0")} |"));
        }
        var md = new StringBuilder();
        md.AppendLine($"### Full pass: {projects * perProject} servers in {projects} projects");
        md.AppendLine();
        md.AppendLine($"`wikisync sync --job instances` (a process, as cron or the CLI runs it) over {projects} projects with {perProject} servers each ");
        md.AppendLine("(fake virt driver), admin account: one token, one all-projects listing, the image names from Glance, the flavor names from the listing.");
        md.AppendLine();
        md.AppendLine("| pass | wall time, s | wiki requests | edits | peak RSS, MB |");
        md.AppendLine("| --- | --- | --- | --- | --- |");
        md.Append(rows);
        return (md.ToString(), new($"full instances pass, {projects * perProject} servers, nothing changed", "–", new Sample(steady).Format() + " s", null));
    }
}
