using System.Text.RegularExpressions;
using WikiSync.IntegrationTests.Hosting;

namespace WikiSync.IntegrationTests.Cluster;

/// <summary>Three <c>wikisync run</c> processes on one PostgreSQL database, the real local wiki.</summary>
[Collection(HostingProcessesCollection.Name)]
public sealed partial class ClusterTests
{
    private static async Task<List<WikiSyncNode>> StartNodesAsync(HostingWorkspace work, int count)
    {
        var (code, output) = await WikiSyncNode.RunAsync(work.Environment(), "store", "migrate");
        code.ShouldBe(0, output);
        var nodes = new List<WikiSyncNode>();
        for (var i = 0; i < count; i++)
            nodes.Add(WikiSyncNode.Start("node" + i, work.Environment(i), ScheduledRunTests.FreePortForTests(), "run"));
        return nodes;
    }

    private static string AllOutput(IEnumerable<WikiSyncNode> nodes) =>
        string.Join("\n", nodes.Select(n => $"--- {n.Name} ---\n{n.Output}"));

    private static async Task StopAllAsync(IEnumerable<WikiSyncNode> nodes)
    {
        foreach (var node in nodes)
            await node.DisposeAsync();
    }

    [Fact]
    public async Task Three_nodes_fire_each_trigger_once_and_edit_each_change_once()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var work = new HostingWorkspace("1s", db.ConnectionString);
        using var editor = await work.EditorAsync();
        await editor.EditAsync(work.Page, HostingWorkspace.InitialText);
        var nodes = await StartNodesAsync(work, 3);
        try
        {
            var started = DateTime.UtcNow;
            var changes = 0;
            while (DateTime.UtcNow - started < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(TimeSpan.FromSeconds(12));
                changes++;
                work.SetDescription("change " + changes);
            }

            await ScheduledRunTests.WaitUntil(
                async () => (await editor.RevisionsAsync(work.Page))[^1].Text.Contains("Description: change " + changes, StringComparison.Ordinal),
                TimeSpan.FromSeconds(20), () => AllOutput(nodes));

            var firings = nodes.SelectMany(n => n.Firings().Where(f => f.Job == "desc").Select(f => (n.Name, f.ScheduledFire))).ToList();
            var doubled = firings.GroupBy(f => f.ScheduledFire).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            doubled.ShouldBeEmpty("fired on two nodes: " + string.Join(", ", doubled));
            firings.Count.ShouldBeGreaterThan(40, AllOutput(nodes));
            firings.Select(f => f.Name).Distinct().Count().ShouldBeGreaterThan(1, "the work should be shared");

            // Each description change is one bot edit; never two for one change.
            var bot = (await editor.RevisionsAsync(work.Page)).Where(r => r.User.StartsWith("WikiSyncBot", StringComparison.Ordinal)).ToList();
            var descriptions = bot.Select(r => DescriptionLine().Match(r.Text).Value).ToList();
            descriptions.Distinct().Count().ShouldBe(descriptions.Count, "two edits for one change: " + string.Join(" | ", descriptions));
            bot.Count.ShouldBe(changes + 1);
        }
        finally
        {
            await StopAllAsync(nodes);
        }
    }

    [Fact]
    public async Task A_node_killed_mid_run_leaves_its_jobs_to_the_others()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var work = new HostingWorkspace("1s", db.ConnectionString);
        using var editor = await work.EditorAsync();
        await editor.EditAsync(work.Page, HostingWorkspace.InitialText);
        var nodes = await StartNodesAsync(work, 3);
        try
        {
            await ScheduledRunTests.WaitUntil(() => Task.FromResult(nodes.Sum(n => n.Firings().Count) >= 3), TimeSpan.FromSeconds(40), () => AllOutput(nodes));

            // Kill whichever node fires next, right as it starts the run.
            var before = nodes.ToDictionary(n => n, n => n.Firings().Count);
            WikiSyncNode? victim = null;
            await ScheduledRunTests.WaitUntil(() =>
            {
                victim = nodes.FirstOrDefault(n => n.Firings().Count > before[n]);
                return Task.FromResult(victim is not null);
            }, TimeSpan.FromSeconds(20), () => AllOutput(nodes));
            victim!.KillHard();
            var survivors = nodes.Where(n => n != victim).ToList();

            // The trigger goes on firing on the others, and they pick up a change.
            var counts = survivors.Sum(n => n.Firings().Count);
            work.SetDescription("after the kill");
            await ScheduledRunTests.WaitUntil(
                async () => (await editor.RevisionsAsync(work.Page))[^1].Text.Contains("Description: after the kill", StringComparison.Ordinal),
                TimeSpan.FromSeconds(40), () => AllOutput(nodes));
            survivors.Sum(n => n.Firings().Count).ShouldBeGreaterThan(counts);
            // Quartz noticed the dead node (its check-ins stopped) and recovered what it was running.
            await ScheduledRunTests.WaitUntil(() => Task.FromResult(survivors.Any(n => n.Output.Contains("recovering", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(40), () => AllOutput(nodes));
        }
        finally
        {
            await StopAllAsync(nodes);
        }
    }

    [Fact]
    public async Task Killing_the_leader_hands_leadership_to_another_node_within_30_seconds()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var work = new HostingWorkspace("10s", db.ConnectionString);
        var nodes = await StartNodesAsync(work, 3);
        try
        {
            WikiSyncNode? leader = null;
            await ScheduledRunTests.WaitUntil(() =>
            {
                leader = nodes.FirstOrDefault(n => n.Output.Contains("This node is the leader now", StringComparison.Ordinal));
                return Task.FromResult(leader is not null);
            }, TimeSpan.FromSeconds(30), () => AllOutput(nodes));
            nodes.Count(n => n.Output.Contains("This node is the leader now", StringComparison.Ordinal)).ShouldBe(1);

            leader!.KillHard();
            var killed = DateTime.UtcNow;
            var others = nodes.Where(n => n != leader).ToList();
            await ScheduledRunTests.WaitUntil(
                () => Task.FromResult(others.Any(n => n.Output.Contains("This node is the leader now", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(30), () => AllOutput(nodes));
            (DateTime.UtcNow - killed).ShouldBeLessThan(TimeSpan.FromSeconds(30));
            others.Count(n => n.Output.Contains("This node is the leader now", StringComparison.Ordinal)).ShouldBe(1);

            var newLeader = others.Single(n => n.Output.Contains("This node is the leader now", StringComparison.Ordinal));
            using var http = new HttpClient();
            (await http.GetStringAsync($"http://127.0.0.1:{newLeader.HttpPort}/")).ShouldContain("<strong>leader</strong>");
        }
        finally
        {
            await StopAllAsync(nodes);
        }
    }

    [GeneratedRegex("Description: [^\n]*")]
    private static partial Regex DescriptionLine();
}
