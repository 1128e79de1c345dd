using System.Net;
using System.Text.Json.Nodes;
using WikiSync.Sources.OpenStack;

namespace WikiSync.IntegrationTests.Support;

/// <summary>
/// The real cloud of scripts/local-openstack.sh (Keystone, Nova with the fake virt driver, Glance, Neutron API),
/// started once per process through the script's <c>up</c> and described by its <c>env</c>. Boots and deletes
/// servers through the plain REST API: in project <c>bots</c> as its member <c>alice</c>, or in any project as
/// the admin (the benchmarks' own projects, <see cref="EnsureProjectAsync"/>). Shared by the integration tests
/// (<see cref="OpenStackFixture"/>) and the benchmarks.
/// </summary>
public class OpenStackCloud : IAsyncDisposable
{
    public const string Image = "debian-12-tiny";
    public const string Network = "shared-net";

    /// <summary>A boot is 2-30 s here; the machine may be far busier in CI.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(2) };
    private readonly List<string> _booted = [];

    public IReadOnlyDictionary<string, string> Env { get; private set; } = new Dictionary<string, string>();

    /// <summary>Brings the cloud up (once per process) and reads its accounts.</summary>
    public async Task StartAsync() => Env = await ServerScript.UpOnceAsync("local-openstack.sh");

    public string AuthUrl => Env["WIKISYNC_OPENSTACK_AUTH_URL"];

    /// <summary>The cloud's RabbitMQ (scripts/local-openstack.sh: guest on loopback), where Nova and Keystone notify.</summary>
    public static Uri Amqp { get; } = new("amqp://guest:guest@127.0.0.1:5672/");

    /// <summary>The admin account: password login, the all-projects listing.</summary>
    public OpenStackOptions AdminOptions => new()
    {
        AuthUrl = AuthUrl,
        UserName = Env["WIKISYNC_TEST_OPENSTACK_ADMIN_USER_NAME"],
        Password = Env["WIKISYNC_TEST_OPENSTACK_ADMIN_PASSWORD"],
        ProjectName = Env["WIKISYNC_TEST_OPENSTACK_ADMIN_PROJECT_NAME"],
        AllProjects = true,
        TimeoutSeconds = 60,
    };

    /// <summary>The read-only application credential, bound to bots: the project-scoped listing.</summary>
    public OpenStackOptions ApplicationCredentialOptions => new()
    {
        AuthUrl = AuthUrl,
        ApplicationCredentialId = Env["WIKISYNC_TEST_OPENSTACK_APPLICATION_CREDENTIAL_ID"],
        ApplicationCredentialSecret = Env["WIKISYNC_TEST_OPENSTACK_APPLICATION_CREDENTIAL_SECRET"],
        AllProjects = false,
        Projects = [Env["WIKISYNC_TEST_OPENSTACK_APPLICATION_CREDENTIAL_PROJECT"]],
        TimeoutSeconds = 60,
    };

    /// <summary>
    /// The read-only account `env` prints, as the CLI reads it: reader on bots and tools (the servers, project by
    /// project) and on domain Default (Keystone's projects and role assignments, <c>keystone_domain</c>).
    /// </summary>
    public OpenStackOptions ReaderOptions => new()
    {
        AuthUrl = AuthUrl,
        UserName = Env["WIKISYNC_OPENSTACK_USER_NAME"],
        Password = Env["WIKISYNC_OPENSTACK_PASSWORD"],
        UserDomain = Env["WIKISYNC_OPENSTACK_USER_DOMAIN"],
        ProjectDomain = Env["WIKISYNC_OPENSTACK_PROJECT_DOMAIN"],
        Region = Env["WIKISYNC_OPENSTACK_REGION"],
        AllProjects = bool.Parse(Env["WIKISYNC_OPENSTACK_ALL_PROJECTS"]),
        Projects = Env["WIKISYNC_OPENSTACK_PROJECTS"].Split(','),
        KeystoneDomain = Env["WIKISYNC_OPENSTACK_KEYSTONE_DOMAIN"],
        TimeoutSeconds = 60,
    };

    /// <summary>The read-only account as the WIKISYNC_OPENSTACK_* variables `env` prints.</summary>
    public Dictionary<string, string> ReaderEnvironment =>
        Env.Where(e => e.Key.StartsWith("WIKISYNC_OPENSTACK_", StringComparison.Ordinal)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    /// <summary>The admin account as WIKISYNC_OPENSTACK_* variables of a wikisync process.</summary>
    public Dictionary<string, string> AdminEnvironment => new()
    {
        ["WIKISYNC_OPENSTACK_AUTH_URL"] = AuthUrl,
        ["WIKISYNC_OPENSTACK_USER_NAME"] = Env["WIKISYNC_TEST_OPENSTACK_ADMIN_USER_NAME"],
        ["WIKISYNC_OPENSTACK_PASSWORD"] = Env["WIKISYNC_TEST_OPENSTACK_ADMIN_PASSWORD"],
        ["WIKISYNC_OPENSTACK_PROJECT_NAME"] = Env["WIKISYNC_TEST_OPENSTACK_ADMIN_PROJECT_NAME"],
        ["WIKISYNC_OPENSTACK_ALL_PROJECTS"] = "true",
    };

    /// <summary>Deletes what was booted and not deleted; the cloud is left running (scripts/test.sh stops it).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var id in _booted.ToList())
            await DeleteServerAsync(id, wait: false, CancellationToken.None);
        _http.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Boots a server in bots with the seeded image and network, waits for ACTIVE, returns its id.</summary>
    public async Task<string> BootAsync(string name, string flavor, IReadOnlyDictionary<string, string> metadata, CancellationToken ct) =>
        await BootAsync(await MemberAsync(ct), name, flavor, metadata, ct);

    /// <summary>Boots a server in <paramref name="project"/> as the admin (see <see cref="EnsureProjectAsync"/>), waits for ACTIVE.</summary>
    public async Task<string> BootInAsync(string project, string name, string flavor, CancellationToken ct) =>
        await BootAsync(await AdminAsync(project, ct), name, flavor, new Dictionary<string, string>(), ct);

    /// <summary>
    /// A project of the admin's own (created when missing, with the admin holding the admin role on it, so it can
    /// boot there); the id. Quotas stay Nova's defaults (10 servers a project).
    /// </summary>
    public async Task<string> EnsureProjectAsync(string name, string description, CancellationToken ct)
    {
        var admin = await AdminAsync(Env["WIKISYNC_TEST_OPENSTACK_ADMIN_PROJECT_NAME"], ct);
        var keystone = AuthUrl.TrimEnd('/');
        var found = (await GetAsync(admin, keystone, $"/projects?name={Uri.EscapeDataString(name)}", ct))["projects"]!.AsArray();
        string id;
        if (found.Count > 0)
            id = found[0]!["id"]!.GetValue<string>();
        else
        {
            using var create = Request(admin, HttpMethod.Post, keystone + "/projects");
            create.Content = Json(new JsonObject { ["project"] = new JsonObject { ["name"] = name, ["domain_id"] = "default", ["description"] = description } });
            using var created = await _http.SendAsync(create, ct);
            var answer = await created.Content.ReadAsStringAsync(ct);
            if (created.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"Keystone refused to create project {name}: {(int)created.StatusCode} {answer}");
            id = JsonNode.Parse(answer)!["project"]!["id"]!.GetValue<string>();
        }
        var user = (await GetAsync(admin, keystone, $"/users?name={Env["WIKISYNC_TEST_OPENSTACK_ADMIN_USER_NAME"]}", ct))["users"]![0]!["id"]!.GetValue<string>();
        var role = (await GetAsync(admin, keystone, "/roles?name=admin", ct))["roles"]![0]!["id"]!.GetValue<string>();
        using var grant = Request(admin, HttpMethod.Put, $"{keystone}/projects/{id}/users/{user}/roles/{role}");
        using var granted = await _http.SendAsync(grant, ct);
        if (!granted.IsSuccessStatusCode)
            throw new InvalidOperationException($"Keystone refused the admin role on {name}: {(int)granted.StatusCode}");
        return id;
    }

    private async Task<string> BootAsync(Session member, string name, string flavor, IReadOnlyDictionary<string, string> metadata, CancellationToken ct)
    {
        var image = (await GetAsync(member, member.Image, $"/v2/images?name={Image}", ct))["images"]![0]!["id"]!.GetValue<string>();
        var network = (await GetAsync(member, member.Network, $"/v2.0/networks?name={Network}", ct))["networks"]![0]!["id"]!.GetValue<string>();
        var flavorId = (await GetAsync(member, member.Compute, "/flavors", ct))["flavors"]!.AsArray()
            .Single(f => f!["name"]!.GetValue<string>() == flavor)!["id"]!.GetValue<string>();
        var body = new JsonObject
        {
            ["server"] = new JsonObject
            {
                ["name"] = name,
                ["imageRef"] = image,
                ["flavorRef"] = flavorId,
                ["networks"] = new JsonArray(new JsonObject { ["uuid"] = network }),
                ["metadata"] = new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value)))),
            },
        };
        using var request = Request(member, HttpMethod.Post, member.Compute + "/servers");
        request.Content = Json(body);
        using var response = await _http.SendAsync(request, ct);
        var answer = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"Nova refused to boot {name}: {(int)response.StatusCode} {answer}");
        var id = JsonNode.Parse(answer)!["server"]!["id"]!.GetValue<string>();
        _booted.Add(id);
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var status = (await GetAsync(member, member.Compute, "/servers/" + id, ct))["server"]!["status"]!.GetValue<string>();
            if (status == "ACTIVE")
                return id;
            if (status == "ERROR")
                throw new InvalidOperationException($"server {name} ({id}) went to ERROR; see .servers/openstack/state/nova/log");
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"server {name} ({id}) is still {status} after {Deadline.TotalMinutes} minutes");
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
    }

    /// <summary>Deletes a project in Keystone (its servers must be gone); one already gone is fine.</summary>
    public async Task DeleteProjectAsync(string id, CancellationToken ct)
    {
        var admin = await AdminAsync(Env["WIKISYNC_TEST_OPENSTACK_ADMIN_PROJECT_NAME"], ct);
        using var request = Request(admin, HttpMethod.Delete, $"{AuthUrl.TrimEnd('/')}/projects/{id}");
        using var response = await _http.SendAsync(request, ct);
        if (response.StatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.NotFound))
            throw new InvalidOperationException($"Keystone refused to delete project {id}: {(int)response.StatusCode}");
    }

    /// <summary>Deletes a server and (with <paramref name="wait"/>) waits until Nova answers 404 for it.</summary>
    public async Task DeleteServerAsync(string id, bool wait, CancellationToken ct)
    {
        // The admin deletes in any project (the member only in bots).
        var member = await AdminAsync(Env["WIKISYNC_TEST_OPENSTACK_ADMIN_PROJECT_NAME"], ct);
        using (var request = Request(member, HttpMethod.Delete, member.Compute + "/servers/" + id))
        using (var response = await _http.SendAsync(request, ct))
        {
            if (response.StatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.NotFound))
                throw new InvalidOperationException($"Nova refused to delete {id}: {(int)response.StatusCode}");
        }
        _booted.Remove(id);
        var until = DateTime.UtcNow + Deadline;
        while (wait)
        {
            using var request = Request(member, HttpMethod.Get, member.Compute + "/servers/" + id);
            using var response = await _http.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"server {id} still exists {Deadline.TotalMinutes} minutes after its delete");
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
    }

    private sealed record Session(string Token, string Compute, string Image, string Network);

    private Task<Session> MemberAsync(CancellationToken ct) =>
        SessionAsync(Env["WIKISYNC_TEST_OPENSTACK_MEMBER_USER_NAME"], Env["WIKISYNC_TEST_OPENSTACK_MEMBER_PASSWORD"], Env["WIKISYNC_TEST_OPENSTACK_MEMBER_PROJECT_NAME"], ct);

    private Task<Session> AdminAsync(string project, CancellationToken ct) =>
        SessionAsync(Env["WIKISYNC_TEST_OPENSTACK_ADMIN_USER_NAME"], Env["WIKISYNC_TEST_OPENSTACK_ADMIN_PASSWORD"], project, ct);

    private async Task<Session> SessionAsync(string user, string password, string project, CancellationToken ct)
    {
        var auth = new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["identity"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["password"] = new JsonObject
                    {
                        ["user"] = new JsonObject
                        {
                            ["name"] = user,
                            ["domain"] = new JsonObject { ["id"] = "default" },
                            ["password"] = password,
                        },
                    },
                },
                ["scope"] = new JsonObject
                {
                    ["project"] = new JsonObject
                    {
                        ["name"] = project,
                        ["domain"] = new JsonObject { ["id"] = "default" },
                    },
                },
            },
        };
        using var response = await _http.PostAsync(AuthUrl.TrimEnd('/') + "/auth/tokens", Json(auth), ct);
        response.EnsureSuccessStatusCode();
        var catalog = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["token"]!["catalog"]!.AsArray();
        string Endpoint(string type) => catalog.Single(s => s!["type"]!.GetValue<string>() == type)!["endpoints"]!.AsArray()
            .First(e => e!["interface"]!.GetValue<string>() == "public")!["url"]!.GetValue<string>().TrimEnd('/');
        return new Session(response.Headers.GetValues("X-Subject-Token").Single(), Endpoint("compute"), Endpoint("image"), Endpoint("network"));
    }

    // With a length, not chunked: Keystone under uwsgi's http-socket answers a chunked body with 400.
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private static HttpRequestMessage Request(Session session, HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-Auth-Token", session.Token);
        return request;
    }

    private async Task<JsonNode> GetAsync(Session session, string endpoint, string path, CancellationToken ct)
    {
        using var request = Request(session, HttpMethod.Get, endpoint + path);
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {endpoint}{path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}

