using System.Text.RegularExpressions;
using Npgsql;
using WikiSync.IntegrationTests.Hosting;
using WikiSync.IntegrationTests.Support;
using WikiSync.Storage;

namespace WikiSync.IntegrationTests.Cluster;

/// <summary>Three <c>wikisync run</c> processes on one PostgreSQL database, the real local wiki.</summary>
[Collection(HostingProcessesCollection.Name)]
public sealed partial class ClusterTests
{
    private static async Task<RunningNodes> StartNodesAsync(HostingWorkspace work, int count)
    {
        await work.MigrateAsync();
        var nodes = new RunningNodes();
        for (var i = 0; i < count; i++)
            nodes.Add(WikiSyncNode.Start("node" + i, work.Environment(i), ScheduledRunTests.FreePortForTests(), "run"));
        return nodes;
    }

    /// <summary>The nodes of one test, all stopped when the test ends, however it ends.</summary>
    private sealed class RunningNodes : List<WikiSyncNode>, IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var node in this)
                await node.DisposeAsync();
        }
    }

    private static string AllOutput(IEnumerable<WikiSyncNode> nodes) =>
        string.Join("\n", nodes.Select(n => $"--- {n.Name} ---\n{n.Output}"));

    [Fact]
    public async Task Three_nodes_fire_each_trigger_once_and_edit_each_change_once()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var work = new HostingWorkspace("1s", db.ConnectionString);
        using var editor = await work.EditorWithInitialPageAsync();
        await using var nodes = await StartNodesAsync(work, 3);
        var started = DateTime.UtcNow;
        var changes = 0;
        while (DateTime.UtcNow - started < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(TimeSpan.FromSeconds(12));
            changes++;
            work.SetDescription("change " + changes);
        }

        await WaitForDescriptionAsync(editor, work.Page, "change " + changes, TimeSpan.FromSeconds(20), nodes);

        var firings = nodes.SelectMany(n => n.Firings().Where(f => f.Job == "desc").Select(f => (n.Name, f.ScheduledFire))).ToList();
        var doubled = firings.GroupBy(f => f.ScheduledFire).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        doubled.ShouldBeEmpty("fired on two nodes: " + string.Join(", ", doubled));
        firings.Count.ShouldBeGreaterThan(40, AllOutput(nodes));
        // Which node fires is Quartz's choice (with one trigger it is often the same one); once is what counts.

        // Each description change is one bot edit; never two for one change.
        var bot = (await editor.RevisionsAsync(work.Page)).Where(r => r.User.StartsWith("WikiSyncBot", StringComparison.Ordinal)).ToList();
        var descriptions = bot.Select(r => DescriptionLine().Match(r.Text).Value).ToList();
        descriptions.Distinct().Count().ShouldBe(descriptions.Count, "two edits for one change: " + string.Join(" | ", descriptions));
        bot.Count.ShouldBe(changes + 1);
    }

    [Fact]
    public async Task A_node_killed_mid_run_leaves_its_jobs_to_the_others()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var work = new HostingWorkspace("1s", db.ConnectionString);
        using var editor = await work.EditorWithInitialPageAsync();
        await using var nodes = await StartNodesAsync(work, 3);
        await ScheduledRunTests.WaitUntil(() => Task.FromResult(nodes.Sum(n => n.Firings().Count) >= 3), TimeSpan.FromSeconds(40), () => AllOutput(nodes));

        // Hold the cluster's sync gate (once the run holding it now is done): the next run to fire
        // stays in the middle of its run, waiting for it.
        var gate = new NpgsqlConnection(db.ConnectionString + ";Pooling=false");
        await gate.OpenAsync();
        await ScheduledRunTests.WaitUntil(() => AdvisoryLocks.TryLockAsync(gate, AdvisoryLocks.SyncKey, CancellationToken.None),
            TimeSpan.FromSeconds(20), () => AllOutput(nodes));
        WikiSyncNode? victim = null;
        await ScheduledRunTests.WaitUntil(() =>
        {
            victim = nodes.FirstOrDefault(InARun);
            return Task.FromResult(victim is not null);
        }, TimeSpan.FromSeconds(20), () => AllOutput(nodes));
        await Task.Delay(500);
        victim!.KillHard();
        var survivors = nodes.Where(n => n != victim).ToList();

        // Quartz sees the dead node's check-ins stop and runs what it was in the middle of elsewhere.
        await ScheduledRunTests.WaitUntil(() => Task.FromResult(survivors.Any(n => n.Output.Contains("recovering", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(40), () => AllOutput(nodes));
        await gate.DisposeAsync();

        // The trigger goes on firing on the others, and they pick up a change.
        var counts = survivors.Sum(n => n.Firings().Count);
        work.SetDescription("after the kill");
        await WaitForDescriptionAsync(editor, work.Page, "after the kill", TimeSpan.FromSeconds(40), nodes);
        await ScheduledRunTests.WaitUntil(() => Task.FromResult(survivors.Sum(n => n.Firings().Count) >= counts + 3),
            TimeSpan.FromSeconds(30), () => AllOutput(nodes));
    }

    [Fact]
    public async Task Killing_the_IRC_leader_lets_another_node_answer_log_within_30_seconds()
    {
        var irc = await ServerScript.UpOnceAsync("local-irc.sh");
        var port = int.Parse(irc["WIKISYNC_LOCAL_IRC_PORT"], System.Globalization.CultureInfo.InvariantCulture);
        await using var db = await PostgresDatabase.CreateAsync();
        using var work = new HostingWorkspace("10s", db.ConnectionString);
        var channel = "#hosting-" + work.RunId;
        var botNick = "hostbot" + work.RunId[..6];
        work.Irc = (irc["WIKISYNC_IRC_SERVER"], botNick, channel);
        await using var nodes = await StartNodesAsync(work, 3);
        await using var alice = await IrcTestClient.ConnectAsync("127.0.0.1", port, "alice" + work.RunId[..6], channel);
        WikiSyncNode? leader = null;
        await ScheduledRunTests.WaitUntil(() =>
        {
            leader = nodes.FirstOrDefault(n => n.Output.Contains("This node is the leader now", StringComparison.Ordinal));
            return Task.FromResult(leader is not null);
        }, TimeSpan.FromSeconds(30), () => AllOutput(nodes));
        nodes.Count(n => n.Output.Contains("This node is the leader now", StringComparison.Ordinal)).ShouldBe(1);

        // Says !log until a node answers within the reply time; counts the answered ones.
        var accepted = 0;
        Task LogUntilAnsweredAsync(string message, TimeSpan reply, TimeSpan limit) =>
            ScheduledRunTests.WaitUntil(async () =>
            {
                await alice.SayAsync(channel, message);
                if (!await alice.SeesWithinAsync(l => IsBotReply(l, channel, alice.Nick), reply))
                    return false;
                accepted++;
                return true;
            }, limit, () => AllOutput(nodes));
        await LogUntilAnsweredAsync("!log alpha before the kill", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(40));

        leader!.KillHard();
        var killed = DateTime.UtcNow;
        var others = nodes.Where(n => n != leader).ToList();
        await LogUntilAnsweredAsync("!log alpha after the kill", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
        (DateTime.UtcNow - killed).ShouldBeLessThan(TimeSpan.FromSeconds(30));
        others.Count(n => n.Output.Contains("This node is the leader now", StringComparison.Ordinal)).ShouldBe(1);

        var newLeader = others.Single(n => n.Output.Contains("This node is the leader now", StringComparison.Ordinal));
        using var http = new HttpClient();
        (await http.GetStringAsync($"http://127.0.0.1:{newLeader.HttpPort}/")).ShouldContain("<strong>leader</strong>");

        // Each answered !log is stored once: nothing twice across the handover.
        await using var connection = new Npgsql.NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM sal_entries", connection);
        ((long)(await count.ExecuteScalarAsync())!).ShouldBe(accepted);
    }

    /// <summary>Waits until the page's latest revision shows the description.</summary>
    private static Task WaitForDescriptionAsync(TestWiki editor, string page, string description, TimeSpan limit, List<WikiSyncNode> nodes) =>
        ScheduledRunTests.WaitUntil(
            async () => (await editor.RevisionsAsync(page))[^1].Text.Contains("Description: " + description, StringComparison.Ordinal),
            limit, () => AllOutput(nodes));

    /// <summary>The node's last line about job desc says it fired, not that the run ended.</summary>
    private static bool InARun(WikiSyncNode node) =>
        node.Lines.LastOrDefault(l => l.Contains("Job desc ", StringComparison.Ordinal)) is { } last
        && last.Contains("Job desc fired", StringComparison.Ordinal);

    private static bool IsBotReply(WikiSync.AdminLog.Irc.IrcLine line, string channel, string me) =>
        line.Command == "PRIVMSG" && line.Prefix is not null && !line.Prefix.StartsWith(me + "!", StringComparison.OrdinalIgnoreCase)
        && string.Equals(line[0], channel, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("Description: [^\n]*")]
    private static partial Regex DescriptionLine();
}
