using System.Text;
using WikiSync.IntegrationTests.Hosting;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Notifications;

/// <summary>
/// `wikisync run` hearing of servers from the real cloud's Nova over its RabbitMQ (issue 13 §3): no schedule in
/// the job files these tests use, so a page that changes was changed by a notification.
/// </summary>
[Collection(OpenStackCollection.Name)]
public sealed class NotificationRunTests(OpenStackFixture cloud, LocalWikiFixture wiki)
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(10);
    private readonly string _prefix = "n" + Guid.NewGuid().ToString("N")[..6];

    private async Task<int> BotEditsAsync(string page, CancellationToken ct) =>
        (await wiki.GetRevisionsAsync(page, ct)).Count(r => string.Equals(r.User, wiki.BotUser.Split('@')[0], StringComparison.OrdinalIgnoreCase));

    private async Task<string> PageTextAsync(string page, CancellationToken ct) =>
        (await wiki.GetRevisionsAsync(page, ct)) is { Count: > 0 } revisions ? revisions[^1].Text : "";

    /// <summary>Waits for the next notified refresh of the rig's project to end until the page satisfies <paramref name="shows"/>.</summary>
    private async Task<string> WaitForPageAsync(NotificationRig rig, WikiSyncNode node, Func<string, bool> shows, CancellationToken ct)
    {
        while (true)
        {
            var text = await PageTextAsync(rig.Page, ct);
            if (shows(text))
                return text;
            var seen = rig.Refreshes(node);
            await node.WaitForLineAsync(_ => rig.Refreshes(node) > seen, TimeSpan.FromMinutes(2));
        }
    }

    [Fact]
    public async Task A_booted_server_shows_in_its_projects_instances_section_without_any_schedule_firing_and_is_gone_after_its_delete()
    {
        using var budget = new CancellationTokenSource(Budget);
        await using var rig = await NotificationRig.CreateAsync(cloud, wiki, "notify-one", budget.Token);
        var port = FreePort.Next();
        await using var node = rig.Start("node", port);
        await NotificationRig.WaitListeningAsync(node);

        var id = await cloud.BootInAsync(rig.Project, _prefix + "-web", "m1.tiny", budget.Token);
        string? other = null;
        try
        {
            var text = await WaitForPageAsync(rig, node, t => t.Contains($"| {_prefix}-web || ACTIVE || ", StringComparison.Ordinal), budget.Token);

            text.ShouldContain("<!-- wikisync:begin instances -->");
            node.Firings().ShouldBeEmpty();
            (await NotificationRig.CounterAsync(port, "instance.create.end", "queued")).ShouldBeGreaterThanOrEqualTo(1);
            (await NotificationRig.StatusAsync(port)).GetProperty("status").GetString().ShouldBe("connected");

            // A second server stays: a cloud answering no server at all where it had some is refused (sources.allow_empty).
            other = await cloud.BootInAsync(rig.Project, _prefix + "-irc", "m1.tiny", budget.Token);
            await WaitForPageAsync(rig, node, t => t.Contains($"| {_prefix}-irc || ACTIVE || ", StringComparison.Ordinal), budget.Token);
            await cloud.DeleteServerAsync(id, wait: true, budget.Token);
            var after = await WaitForPageAsync(rig, node, t => !t.Contains(_prefix + "-web", StringComparison.Ordinal), budget.Token);

            after.ShouldContain($"| {_prefix}-irc || ACTIVE || ");
            (await NotificationRig.CounterAsync(port, "instance.delete.end", "queued")).ShouldBe(1);
            node.Firings().ShouldBeEmpty();
        }
        finally
        {
            await cloud.DeleteServerAsync(id, wait: false, CancellationToken.None);
            if (other is not null)
                await cloud.DeleteServerAsync(other, wait: false, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Ten_servers_booted_together_make_one_edit_of_the_page()
    {
        using var budget = new CancellationTokenSource(Budget);
        await using var rig = await NotificationRig.CreateAsync(cloud, wiki, "notify-burst", budget.Token);
        var port = FreePort.Next();
        // Nova on a loaded two-core machine spreads ten boots' ends over some 20 s, up to ~9 s apart: the quiet
        // time covers that (the defaults, 300 ms and 2 s, are measured in scripts/bench.sh).
        await using var node = rig.Start("node", port, new Dictionary<string, string>
        {
            ["WIKISYNC_OPENSTACK_NOTIFICATIONS_DEBOUNCE_MS"] = "15000",
            ["WIKISYNC_OPENSTACK_NOTIFICATIONS_MAX_DELAY_MS"] = "60000",
        });
        await NotificationRig.WaitListeningAsync(node);
        var before = await BotEditsAsync(rig.Page, budget.Token);
        var names = Enumerable.Range(0, 10).Select(i => $"{_prefix}-b{i}").ToList();

        var ids = new List<string>();
        try
        {
            ids.AddRange(await Task.WhenAll(names.Select(n => cloud.BootInAsync(rig.Project, n, "m1.tiny", budget.Token))));
            await WaitForPageAsync(rig, node, t => names.All(n => t.Contains($"| {n} || ACTIVE || ", StringComparison.Ordinal)), budget.Token);

            (await BotEditsAsync(rig.Page, budget.Token)).ShouldBe(before + 1, string.Join('\n', node.Lines.Where(l => !l.Contains("HttpClient", StringComparison.Ordinal))));
            (await NotificationRig.CounterAsync(port, "instance.create.end", "queued")).ShouldBe(10);
        }
        finally
        {
            await Task.WhenAll(ids.Select(id => cloud.DeleteServerAsync(id, wait: true, CancellationToken.None)));
        }
    }

    [Fact]
    public async Task Bad_input_is_acknowledged_and_counted_and_nothing_is_written()
    {
        using var budget = new CancellationTokenSource(Budget);
        await using var rig = await NotificationRig.CreateAsync(cloud, wiki, "notify-one", budget.Token);
        var port = FreePort.Next();
        var before = await BotEditsAsync(rig.Page, budget.Token);
        await using (var node = rig.Start("node", port))
        {
            await NotificationRig.WaitListeningAsync(node);

            await rig.PublishAsync(Encoding.UTF8.GetBytes("this is not JSON"), budget.Token);
            await rig.PublishAsync(NotificationRig.ServerEvent("made.up.event", rig.ProjectId), budget.Token);
            await rig.PublishAsync(NotificationRig.ServerEvent("instance.create.end", "0000not0in0the0inventory"), budget.Token);

            await node.WaitForLineAsync(l => l.Contains("0000not0in0the0inventory, which is not in the inventory", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            (await NotificationRig.CounterAsync(port, "(none)", "malformed")).ShouldBe(1);
            (await NotificationRig.CounterAsync(port, "made.up.event", "unknown")).ShouldBe(1);
            (await NotificationRig.CounterAsync(port, "instance.create.end", "not_in_inventory")).ShouldBe(1);
            (await NotificationRig.StatusAsync(port)).GetProperty("last_event").GetProperty("result").GetString().ShouldBe("not_in_inventory");
            await node.StopAsync();
            node.ExitCode.ShouldBe(0, node.Output);
        }

        // Stopped: anything not acknowledged would be back in the queue now.
        (await rig.ReadyAsync(budget.Token)).ShouldBe(0u);
        (await BotEditsAsync(rig.Page, budget.Token)).ShouldBe(before);
    }

    [Fact]
    public async Task RabbitMQ_unreachable_makes_healthz_503_the_schedule_goes_on_and_the_node_connects_again_when_it_is_back()
    {
        using var budget = new CancellationTokenSource(Budget);
        await using var rig = await NotificationRig.CreateAsync(cloud, wiki, "notify-one", budget.Token, schedule: "{ every: 2s }");
        await using var gate = new TcpGate(OpenStackCloud.Amqp.Port) { Down = true };
        var port = FreePort.Next();
        await using var node = rig.Start("node", port, new Dictionary<string, string>
        {
            ["WIKISYNC_OPENSTACK_NOTIFICATIONS_URL"] = $"amqp://guest:guest@127.0.0.1:{gate.Port}/",
        });

        await node.WaitForLineAsync(l => l.Contains("cannot be used", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await NotificationRig.WaitForHttpAsync(node, port);
        var (status, text) = await NotificationRig.HealthAsync(port);
        status.ShouldBe(503);
        text.ShouldContain("notifications: not connected to RabbitMQ");
        (await NotificationRig.StatusAsync(port)).GetProperty("status").GetString().ShouldBe("disconnected");
        node.Output.ShouldNotContain("guest:guest");
        var fired = node.Firings().Count;
        await ScheduledRunTests.WaitUntil(() => Task.FromResult(node.Firings().Count >= fired + 2), TimeSpan.FromSeconds(30), () => node.Output);

        gate.Down = false;
        await NotificationRig.WaitListeningAsync(node);
        (await NotificationRig.HealthAsync(port)).Status.ShouldBe(200);

        gate.Down = true;
        await ScheduledRunTests.WaitUntil(async () => (await NotificationRig.HealthAsync(port)).Status == 503, TimeSpan.FromSeconds(30), () => node.Output);
        gate.Down = false;
        await NotificationRig.WaitListeningAsync(node, times: 2);
        (await NotificationRig.HealthAsync(port)).Status.ShouldBe(200);
    }

    [Fact]
    public async Task A_node_killed_before_its_refresh_ran_loses_nothing_the_next_nodes_sweep_runs_it()
    {
        using var budget = new CancellationTokenSource(Budget);
        await using var rig = await NotificationRig.CreateAsync(cloud, wiki, "notify-kill", budget.Token);
        var port = FreePort.Next();
        string? id = null;
        try
        {
            await using (var doomed = rig.Start("node", port, new Dictionary<string, string>
            {
                // Its refresh would come a minute later: the kill comes first, after the message is stored and acknowledged.
                ["WIKISYNC_OPENSTACK_NOTIFICATIONS_DEBOUNCE_MS"] = "60000",
                ["WIKISYNC_OPENSTACK_NOTIFICATIONS_MAX_DELAY_MS"] = "60000",
            }))
            {
                await NotificationRig.WaitListeningAsync(doomed);
                await NotificationRig.WaitForHttpAsync(doomed, port);
                id = await cloud.BootInAsync(rig.Project, _prefix + "-kept", "m1.tiny", budget.Token);
                await ScheduledRunTests.WaitUntil(async () => await NotificationRig.CounterAsync(port, "instance.create.end", "queued") >= 1, TimeSpan.FromSeconds(60), () => doomed.Output);
                doomed.KillHard();
            }
            (await rig.ReadyAsync(budget.Token)).ShouldBe(0u);

            var secondPort = FreePort.Next();
            await using var next = rig.Start("node", secondPort);
            await next.WaitForLineAsync(l => l.Contains($"Sweep: refresh of {rig.Project} (instances) pending since", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
            await WaitForPageAsync(rig, next, t => t.Contains($"| {_prefix}-kept || ACTIVE || ", StringComparison.Ordinal), budget.Token);
            next.Firings().ShouldBeEmpty();
        }
        finally
        {
            if (id is not null)
                await cloud.DeleteServerAsync(id, wait: false, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_project_created_in_keystone_gets_its_page_and_once_deleted_it_is_reported_and_its_page_left_as_it_is()
    {
        using var budget = new CancellationTokenSource(Budget);
        var project = "notify-" + _prefix;
        await using var rig = NotificationRig.ForProjectToCreate(cloud, wiki, project);
        var port = FreePort.Next();
        await using var node = rig.Start("node", port);
        await NotificationRig.WaitListeningAsync(node);
        (await PageTextAsync(rig.Page, budget.Token)).ShouldBeEmpty();
        string? id = null;
        try
        {
            id = await cloud.EnsureProjectAsync(project, "made by a notification test", budget.Token);

            await node.WaitForLineAsync(_ => NotificationRig.ProjectRefreshes(node) >= 1, TimeSpan.FromMinutes(2));
            var text = await PageTextAsync(rig.Page, budget.Token);
            text.ShouldContain("<!-- wikisync:begin instances -->");
            (await NotificationRig.CounterAsync(port, "identity.project.created", "queued")).ShouldBe(1);
            var edits = await BotEditsAsync(rig.Page, budget.Token);

            await cloud.DeleteProjectAsync(id, budget.Token);
            id = null;
            await node.WaitForLineAsync(l => l.Contains("was deleted in Keystone", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
            (await NotificationRig.CounterAsync(port, "identity.project.deleted", "reported")).ShouldBe(1);
            (await BotEditsAsync(rig.Page, budget.Token)).ShouldBe(edits);
            (await PageTextAsync(rig.Page, budget.Token)).ShouldBe(text);
        }
        finally
        {
            if (id is not null)
                await cloud.DeleteProjectAsync(id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Two_nodes_on_one_queue_each_handle_a_share_and_no_message_twice()
    {
        using var budget = new CancellationTokenSource(Budget);
        await using var rig = await NotificationRig.CreateAsync(cloud, wiki, "notify-one", budget.Token);
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        await using var a = rig.Start("node", portA);
        await using var b = rig.Start("second", portB);
        await NotificationRig.WaitListeningAsync(a);
        await NotificationRig.WaitListeningAsync(b);

        for (var i = 0; i < 20; i++)
            await rig.PublishAsync(NotificationRig.ServerEvent("instance.power_off.end", rig.ProjectId), budget.Token);

        async Task<(double A, double B)> CountsAsync() =>
            (await NotificationRig.CounterAsync(portA, "instance.power_off.end", "queued"), await NotificationRig.CounterAsync(portB, "instance.power_off.end", "queued"));
        await ScheduledRunTests.WaitUntil(async () => await CountsAsync() is var (x, y) && x + y >= 20, TimeSpan.FromSeconds(60), () => a.Output + "\n" + b.Output);
        var (countA, countB) = await CountsAsync();
        (countA + countB).ShouldBe(20);
        countA.ShouldBeGreaterThan(0);
        countB.ShouldBeGreaterThan(0);
    }
}
