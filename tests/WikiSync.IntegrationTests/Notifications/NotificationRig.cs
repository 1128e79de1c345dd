using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using RabbitMQ.Client;
using WikiSync.IntegrationTests.Hosting;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Notifications;

/// <summary>
/// One test's `wikisync run` set-up for notifications: a project of its own in the real cloud (static projects
/// source naming it, instances from the cloud), the shipped instances job without its schedule (so only a
/// notification can run it), a queue of its own on the cloud's RabbitMQ (deleted at the end), a state folder.
/// </summary>
internal sealed partial class NotificationRig : IAsyncDisposable
{
    private readonly string _folder;

    private NotificationRig(OpenStackCloud cloud, LocalWikiFixture wiki, string project, string projectId, string? schedule = null)
    {
        Project = project;
        ProjectId = projectId;
        Queue = "wikisync-test-" + Guid.NewGuid().ToString("N")[..8];
        _folder = Path.Combine(Path.GetTempPath(), "wikisync-notify-" + Guid.NewGuid().ToString("N")[..8]);
        var jobs = Directory.CreateDirectory(Path.Combine(_folder, "jobs")).FullName;
        var shipped = File.ReadAllText(Path.Combine(RepoPaths.Jobs, "instances.yaml"));
        File.WriteAllText(Path.Combine(jobs, "instances.yaml"), ScheduleLine().Replace(shipped, schedule is null ? "" : $"schedule: {schedule}\n"));
        var inventory = Path.Combine(_folder, "inventory.yaml");
        InventoryFile.Write(inventory, [new InventoryProject(project, "notification tests", [], [])]);
        Environment = wiki.CliEnvironment(inventory, _folder);
        foreach (var (key, value) in cloud.AdminEnvironment)
            Environment[key] = value;
        Environment["WIKISYNC_SOURCES_INSTANCES"] = "openstack";
        Environment["WIKISYNC_JOBS"] = jobs;
        Environment["WIKISYNC_OPENSTACK_NOTIFICATIONS_URL"] = OpenStackCloud.Amqp.ToString();
        Environment["WIKISYNC_OPENSTACK_NOTIFICATIONS_QUEUE"] = Queue;
        Page = "Nova Resource:" + project;
    }

    [GeneratedRegex(@"(?m)^schedule:.*\n")]
    private static partial Regex ScheduleLine();

    public string Project { get; }

    public string ProjectId { get; }

    public string Queue { get; }

    public string Page { get; }

    public Dictionary<string, string> Environment { get; }

    /// <param name="schedule">The instances job's schedule (<c>{ every: 2s }</c>); null: none, only notifications run it.</param>
    public static async Task<NotificationRig> CreateAsync(OpenStackFixture cloud, LocalWikiFixture wiki, string project, CancellationToken ct, string? schedule = null)
    {
        var id = await cloud.EnsureProjectAsync(project, "WikiSync notification tests", ct);
        return new NotificationRig(cloud, wiki, project, id, schedule);
    }

    /// <summary>A rig whose inventory names a project the cloud does not have yet (the test creates it).</summary>
    public static NotificationRig ForProjectToCreate(OpenStackFixture cloud, LocalWikiFixture wiki, string project) =>
        new(cloud, wiki, project, "");

    /// <summary>Lines saying a notified refresh of every project's projects sections ended well.</summary>
    public static int ProjectRefreshes(WikiSyncNode node) =>
        node.Lines.Count(l => l.Contains("Notification refresh all projects (projects) done", StringComparison.Ordinal));

    public WikiSyncNode Start(string name, int port, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var env = new Dictionary<string, string>(Environment);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
            env[key] = value;
        if (name != "node")
            env["WIKISYNC_DATA"] = Path.Combine(_folder, "state-" + name);
        return WikiSyncNode.Start(name, env, port, "run");
    }

    public static Task WaitListeningAsync(WikiSyncNode node, int times = 1) =>
        node.WaitForLineAsync(_ => node.Lines.Count(l => l.Contains("Listening to OpenStack notifications", StringComparison.Ordinal)) >= times, TimeSpan.FromSeconds(60));

    /// <summary>Lines saying a notified refresh of this project's instances ended well.</summary>
    public int Refreshes(WikiSyncNode node) =>
        node.Lines.Count(l => l.Contains($"Notification refresh {Project} (instances) done", StringComparison.Ordinal));

    /// <summary>A raw body straight into this test's queue (the default exchange), as if a service had sent it.</summary>
    public async Task PublishAsync(byte[] body, CancellationToken ct)
    {
        await using var connection = await new ConnectionFactory { Uri = OpenStackCloud.Amqp }.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await channel.BasicPublishAsync("", Queue, body, ct);
    }

    /// <summary>Messages ready in the queue (neither delivered nor unacknowledged).</summary>
    public async Task<uint> ReadyAsync(CancellationToken ct)
    {
        await using var connection = await new ConnectionFactory { Uri = OpenStackCloud.Amqp }.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        return (await channel.QueueDeclarePassiveAsync(Queue, ct)).MessageCount;
    }

    public static async Task<double> CounterAsync(int port, string eventType, string result)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith($"wikisync_notifications_total{{event=\"{eventType}\",result=\"{result}\"}} ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the node's HTTP port answers (it opens after the consumer's first try).</summary>
    public static async Task WaitForHttpAsync(WikiSyncNode node, int port) =>
        await ScheduledRunTests.WaitUntil(async () =>
        {
            try
            {
                await HealthAsync(port);
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), () => node.Output);

    public static async Task<(int Status, string Text)> HealthAsync(int port)
    {
        using var http = new HttpClient();
        using var answer = await http.GetAsync($"http://127.0.0.1:{port}/healthz");
        return ((int)answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> StatusAsync(int port)
    {
        using var http = new HttpClient();
        return (await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/status.json"))!.GetProperty("notifications").Clone();
    }

    public static byte[] ServerEvent(string eventType, string tenant) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["oslo.version"] = "2.0",
            ["oslo.message"] = JsonSerializer.Serialize(new
            {
                event_type = eventType,
                timestamp = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
                payload = new Dictionary<string, object> { ["nova_object.data"] = new { tenant_id = tenant } },
            }),
        });

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var connection = await new ConnectionFactory { Uri = OpenStackCloud.Amqp }.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            // A durable queue outlives the test otherwise, collecting every notification of the cloud.
            await channel.QueueDeleteAsync(Queue);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
