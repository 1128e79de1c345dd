using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using WikiSync.IntegrationTests.Support;
using WikiSync.Sync;

namespace WikiSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 6 (d): time from `!log` sent on IRC to the revision holding the entry saved, for N entries sent
/// paced (one every half second, one person) and in a burst (ten people at once). "Saved" is the moment the
/// wiki answered the edit that carries the entry, as the proxy in front of the wiki sees it.
/// </summary>
public sealed class SalLatencyScenario(BenchContext context, FaultProxy proxy)
{
    private const string Channel = "#wikisync-bench";
    private const string BotNick = "wikisync-bench";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _sent = new();
    private readonly ConcurrentDictionary<string, double> _latency = new();

    public async Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        var server = Environment.GetEnvironmentVariable("WIKISYNC_IRC_SERVER")
            ?? throw new InvalidOperationException("WIKISYNC_IRC_SERVER is not set (scripts/local-irc.sh env)");
        var (host, port) = (server[..server.LastIndexOf(':')], int.Parse(server[(server.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
        var n = context.Options.SalEntries;
        var projects = InventoryFile.Generate("sal", 5, seed: 3);
        var inventory = Path.Combine(context.WorkDir, "sal-inventory.yaml");
        var state = Path.Combine(context.WorkDir, "sal-state");
        Directory.CreateDirectory(state);
        InventoryFile.Write(inventory, projects);
        var env = context.WikiSyncEnvironment(proxy, inventory, state);
        env["WIKISYNC_IRC_SERVER"] = server;
        env["WIKISYNC_IRC_NICK"] = BotNick;
        env["WIKISYNC_IRC_CHANNELS"] = Channel;
        env["WIKISYNC_HTTP_PORT"] = "0";

        var migrate = await WikiSyncProcess.RunAsync(["store", "migrate"], env, ct: ct);
        if (migrate.ExitCode != 0)
            throw new InvalidOperationException($"wikisync store migrate exited {migrate.ExitCode}: {RefreshScenarios.Tail(migrate.Output, 5)}");

        proxy.Exchanged += Observe;
        await using var bot = WikiSyncHost.Start(env, "run");
        try
        {
            await using var watcher = await IrcPerson.ConnectAsync(host, port, "bench-watch", ct);
            await watcher.JoinAsync(Channel, ct);
            await watcher.WaitForNickAsync(Channel, BotNick, TimeSpan.FromSeconds(90), ct);

            // Paced: one person, one entry every half second.
            await using (var person = await IrcPerson.ConnectAsync(host, port, "bench-paced", ct))
            {
                await person.JoinAsync(Channel, ct);
                for (var i = 0; i < n; i++)
                {
                    await SendAsync(person, projects[i % projects.Count].Name, $"lat-p-{i}", ct);
                    await Task.Delay(500, ct);
                }
            }
            await WaitAllAsync("lat-p-", n, ct);

            // Burst: ten people send their share at once.
            var people = new List<IrcPerson>();
            for (var c = 0; c < 10; c++)
            {
                people.Add(await IrcPerson.ConnectAsync(host, port, $"bench-burst{c}", ct));
                await people[^1].JoinAsync(Channel, ct);
            }
            await Task.WhenAll(people.Select((person, c) => Task.Run(async () =>
            {
                for (var i = c; i < n; i += people.Count)
                    await SendAsync(person, projects[i % projects.Count].Name, $"lat-b-{i}", ct);
            }, ct)));
            await WaitAllAsync("lat-b-", n, ct);
            foreach (var person in people)
                await person.DisposeAsync();
        }
        finally
        {
            proxy.Exchanged -= Observe;
            // The bot's own log (phases, publish times) and the edits as the proxy saw them, to look into the tail.
            await File.WriteAllTextAsync(Path.Combine(context.WorkDir, "sal-bot.log"), bot.Output, CancellationToken.None);
            await File.WriteAllLinesAsync(Path.Combine(context.WorkDir, "sal-edits.log"), _edits, CancellationToken.None);
        }

        var md = new StringBuilder();
        md.AppendLine($"`wikisync run` with the SAL bot on a local ngircd; {n} entries `!log sal-NNNNN lat-…` over 5 projects, sent paced (one every 0.5 s by one person) ");
        md.AppendLine("and in a burst (ten people, all at once). Latency = from the IRC line written to the wiki's answer to the edit that carries the entry.");
        md.AppendLine();
        md.AppendLine("| mode | entries published | p50, s | p95, s | p99, s | max, s |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- |");
        var targets = new List<TargetLine>();
        foreach (var (mode, prefix) in new[] { ("paced", "lat-p-"), ("burst", "lat-b-") })
        {
            var sample = new Sample([.. _latency.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(kv => kv.Value)]);
            md.AppendLine($"| {mode} | {sample.Values.Count} of {n} | {Fmt.F(sample.Percentile(50), "0.000")} | {Fmt.F(sample.Percentile(95), "0.000")} | {Fmt.F(sample.Percentile(99), "0.000")} | {Fmt.F(sample.Max, "0.000")} |");
            targets.Add(new($"SAL {mode}: !log to revision saved, p95", "≤ 1 s", Fmt.F(sample.Percentile(95), "0.000") + " s",
                sample.Values.Count == n && sample.Percentile(95) <= 1.0, $"{sample.Values.Count} of {n} published"));
        }
        return new ScenarioResult("SAL latency", md.ToString(), targets);
    }

    private async Task SendAsync(IrcPerson person, string project, string tag, CancellationToken ct)
    {
        var token = $"{tag}-{Guid.NewGuid().ToString("N")[..8]}";
        _sent[token] = DateTimeOffset.UtcNow;
        await person.SayAsync(Channel, $"!log {project} {token} restarted the web service", ct);
    }

    private readonly ConcurrentQueue<string> _edits = new();

    private void Observe(ProxyExchange exchange)
    {
        if (exchange.Request.Action is { } action)
            _edits.Enqueue(string.Create(CultureInfo.InvariantCulture,
                $"{exchange.At:HH:mm:ss.fff} {action} {exchange.Request.Parameters.GetValueOrDefault("title") ?? exchange.Request.Parameters.GetValueOrDefault("titles")} {exchange.Status}"));
        if (exchange.SavedText is not { } text)
            return;
        foreach (var (token, sent) in _sent)
            if (!_latency.ContainsKey(token) && text.Contains(token, StringComparison.Ordinal))
                _latency[token] = (exchange.At - sent).TotalSeconds;
    }

    private async Task WaitAllAsync(string prefix, int n, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (_latency.Keys.Count(k => k.StartsWith(prefix, StringComparison.Ordinal)) < n && DateTime.UtcNow < deadline)
            await Task.Delay(200, ct);
    }
}
