using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WikiSync.Tests.Support;

/// <summary>
/// Keystone v3 + Nova v2.1 + Glance v2 on a loopback port, answering with the API reference samples and the
/// payloads captured from scripts/local-openstack.sh in Sources/OpenStack/Payloads (see the README there).
/// Keystone lives under <c>/identity/v3</c>, Nova under <c>/compute/v2.1</c>, Glance under <c>/image</c>. Tokens expire by <see cref="Now"/>; <see cref="RevokeTokens"/> makes the
/// issued ones answer 401; <see cref="ComputeStatus"/> makes Nova fail.
/// </summary>
public sealed class FakeOpenStack : IAsyncDisposable
{
    public const string UserName = "admin";
    public const string Password = "s3cret-Passw0rd!";
    public const string ApplicationCredentialId = "423f19a4ac1e4f48bbb4180756e6eb6c";
    public const string ApplicationCredentialSecret = "rEaqvJka48mpv";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();
    private int _issued;

    private FakeOpenStack(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public string AuthUrl => BaseUri + "identity/v3";

    /// <summary>The clock the fake issues and checks tokens by.</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Non-null: every Nova request answers this status.</summary>
    public int? ComputeStatus { get; set; }

    /// <summary>Non-null: token requests answer this status.</summary>
    public int? KeystoneStatus { get; set; }

    /// <summary>Nova never answers the server list (a server past the client's timeout); <see cref="ComputeReached"/> says it was asked.</summary>
    public bool ComputeHangs { get; set; }

    public TaskCompletionSource ComputeReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Nova answers this many requests with 401 before serving normally (a token revoked early).</summary>
    public int UnauthorizedComputeAnswers { get; set; }

    /// <summary>Every request as "METHOD path?query".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>True: the second page of the server list links to itself (a Nova or proxy that never ends the listing).</summary>
    public bool SecondPageLinksToItself { get; set; }

    /// <summary>Non-null: the first page of the server list links to this next page instead (e.g. on another server).</summary>
    public string? FirstPageNextLink { get; set; }

    /// <summary>True: every page of the server list links to one more (a listing that never ends).</summary>
    public bool EndlessPages { get; set; }

    /// <summary>Non-null: Nova answers the server list with a 302 to this URL.</summary>
    public string? ComputeRedirect { get; set; }

    /// <summary>Bytes of padding added to every server list page.</summary>
    public int PagePadding { get; set; }

    /// <summary>Non-null: the server list is this one payload (one page) and the projects <see cref="ProjectsPayload"/>.</summary>
    public string? ServersPayload { get; set; }

    /// <summary>The project list Keystone answers.</summary>
    public string ProjectsPayload { get; set; } = "keystone-projects-list-response.json";

    /// <summary>Servers (by name) left out of every listing from now on: deleted since.</summary>
    public HashSet<string> DeletedServers { get; } = new(StringComparer.Ordinal);

    /// <summary>The role assignments Keystone answers (recorded from the local cloud, the ids of <c>keystone-projects-zed-domain-reader.json</c>).</summary>
    public string RoleAssignmentsPayload { get; set; } = "keystone-role-assignments-zed-effective-names.json";

    /// <summary>True: Keystone's project list and role assignments answer 403, as the real one does to a project-scoped reader.</summary>
    public bool KeystoneListsForbidden { get; set; }

    /// <summary>Glance's images by id (payload file names); any other id answers Glance's 404.</summary>
    public Dictionary<string, string> Images { get; } = new(StringComparer.Ordinal);

    /// <summary>Every <c>POST /v3/auth/tokens</c> body.</summary>
    public ConcurrentQueue<JsonNode> AuthRequests { get; } = new();

    public int TokensIssued => _issued;

    public void RevokeTokens() => _tokens.Clear();

    public static async Task<FakeOpenStack> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeOpenStack(app);
        fake.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    public static string Payload(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sources", "OpenStack", "Payloads", name));

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            await next(context);
        });
        app.MapPost("/identity/v3/auth/tokens", (Func<HttpContext, Task<IResult>>)IssueTokenAsync);
        app.MapGet("/identity/v3/projects", (HttpContext context) =>
            !Authorized(context) ? Unauthorized() : KeystoneListsForbidden ? Forbidden("identity:list_projects") : Json(Payload(ProjectsPayload)));
        app.MapGet("/identity/v3/role_assignments", (HttpContext context) =>
            !Authorized(context) ? Unauthorized() : KeystoneListsForbidden ? Forbidden("identity:list_role_assignments") : Json(Payload(RoleAssignmentsPayload)));
        app.MapGet("/image/v2/images/{id}", (HttpContext context, string id) =>
        {
            if (!Authorized(context))
                return Unauthorized();
            return Images.TryGetValue(id, out var file)
                ? Json(Payload(file))
                : Results.Content(Payload("glance-image-show-zed-not-found.html"), "text/html", statusCode: 404);
        });
        app.MapGet("/compute/v2.1/{project}/servers/detail", async (HttpContext context) =>
        {
            if (ComputeHangs)
            {
                ComputeReached.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            if (ComputeStatus is { } status)
                return Results.Content("""{"computeFault": {"code": 503, "message": "Service Unavailable (the fake says so)"}}""",
                    "application/json", statusCode: status);
            if (UnauthorizedComputeAnswers > 0)
            {
                UnauthorizedComputeAnswers--;
                return Unauthorized();
            }
            if (!Authorized(context))
                return Unauthorized();
            if (ComputeRedirect is { } location)
                return Results.Redirect(location);
            if (ServersPayload is { } servers)
                return Json(AsNovaFilters(Payload(servers), context.Request.Query["project_id"].ToString()));
            if (FirstPageNextLink is not null || EndlessPages || PagePadding > 0)
                return Json(ShapedPage(context));
            var page = context.Request.Query.ContainsKey("marker")
                ? Payload("nova-servers-detail-page2-derived.json")
                : Payload("nova-servers-detail-v2.47-page1.json");
            if (SecondPageLinksToItself && context.Request.Query.ContainsKey("marker"))
            {
                var looping = JsonNode.Parse(page)!.AsObject();
                looping["servers_links"] = new JsonArray(new JsonObject
                {
                    ["href"] = $"http://openstack.example.com/v2.1{context.Request.Path.Value!["/compute/v2.1".Length..]}{context.Request.QueryString}",
                    ["rel"] = "next",
                });
                page = looping.ToJsonString();
            }
            return Json(page);
        });
    }

    /// <summary>The listing without <see cref="DeletedServers"/>, and only <paramref name="projectId"/>'s servers when one is given (Nova's admin filter).</summary>
    private string AsNovaFilters(string payload, string projectId)
    {
        var page = JsonNode.Parse(payload)!.AsObject();
        var kept = page["servers"]!.AsArray()
            .Where(s => !DeletedServers.Contains(s!["name"]!.GetValue<string>()) && (projectId.Length == 0 || s!["tenant_id"]!.GetValue<string>() == projectId))
            .Select(s => s!.DeepClone()).ToArray();
        page["servers"] = new JsonArray(kept);
        return page.ToJsonString();
    }

    private string ShapedPage(HttpContext context)
    {
        var marker = context.Request.Query["marker"].ToString();
        var page = JsonNode.Parse(Payload(marker.Length > 0 ? "nova-servers-detail-page2-derived.json" : "nova-servers-detail-v2.47-page1.json"))!.AsObject();
        var path = context.Request.Path.Value!["/compute/v2.1".Length..];
        if (marker.Length == 0 && FirstPageNextLink is { } link)
            page["servers_links"] = new JsonArray(new JsonObject { ["href"] = link, ["rel"] = "next" });
        else if (EndlessPages)
            page["servers_links"] = new JsonArray(new JsonObject
            {
                ["href"] = $"http://openstack.example.com/v2.1{path}?marker=m{(int.TryParse(marker.TrimStart('m'), out var n) ? n + 1 : 1)}",
                ["rel"] = "next",
            });
        if (PagePadding > 0)
            page["padding"] = new string('x', PagePadding);
        return page.ToJsonString();
    }

    private async Task<IResult> IssueTokenAsync(HttpContext context)
    {
        if (KeystoneStatus is { } status)
            return Results.Content("<html><body>503 Service Unavailable</body></html>", "text/html", statusCode: status);
        var body = await JsonNode.ParseAsync(context.Request.Body) ?? new JsonObject();
        AuthRequests.Enqueue(body);
        var identity = body["auth"]?["identity"];
        var methods = identity?["methods"]?.AsArray().Select(m => m?.GetValue<string>()).ToList() ?? [];
        string payload;
        if (methods.Contains("password"))
        {
            var user = identity!["password"]?["user"];
            if (user?["name"]?.GetValue<string>() != UserName || user["password"]?.GetValue<string>() != Password)
                return Unauthorized();
            // A domain-scoped request gets the real Keystone's domain-scoped answer (no project, domain Default).
            payload = body["auth"]?["scope"]?["domain"] is not null
                ? Payload("keystone-auth-password-domain-scoped-zed.json")
                : Payload("keystone-auth-password-project-scoped-response.json");
        }
        else if (methods.Contains("application_credential"))
        {
            var credential = identity!["application_credential"];
            if (credential?["id"]?.GetValue<string>() != ApplicationCredentialId
                || credential["secret"]?.GetValue<string>() != ApplicationCredentialSecret)
                return Unauthorized();
            payload = Payload("keystone-auth-application-credential-response.json");
        }
        else
        {
            return Results.Content("""{"error": {"code": 400, "message": "Expecting to find identity in auth.", "title": "Bad Request"}}""",
                "application/json", statusCode: 400);
        }
        var token = JsonNode.Parse(Rewrite(payload))!;
        var expires = Now() + TokenLifetime;
        token["token"]!["expires_at"] = expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        // A project-scoped request gets a token for the project it named, as Keystone does.
        if (body["auth"]?["scope"]?["project"]?["name"]?.GetValue<string>() is { } scope && token["token"]!["project"] is JsonObject project)
            project["name"] = scope;
        var value = $"gAAAAAfake{Interlocked.Increment(ref _issued)}";
        _tokens[value] = expires;
        context.Response.Headers["X-Subject-Token"] = value;
        return Results.Content(token.ToJsonString(), "application/json", statusCode: 201);
    }

    private bool Authorized(HttpContext context) =>
        context.Request.Headers["X-Auth-Token"].ToString() is { Length: > 0 } value
        && _tokens.TryGetValue(value, out var expires) && expires > Now();

    private string Rewrite(string payload) => payload
        .Replace("http://23.253.248.171:9292", BaseUri + "image", StringComparison.Ordinal)
        .Replace("http://127.0.0.1:8774", BaseUri + "compute", StringComparison.Ordinal)
        .Replace("http://23.253.248.171:8774", BaseUri + "compute", StringComparison.Ordinal)
        .Replace("http://openstack.example.com", BaseUri + "compute", StringComparison.Ordinal);

    private IResult Json(string payload) => Results.Content(Rewrite(payload), "application/json");

    private static IResult Forbidden(string action) => Results.Content(
        Payload("keystone-role-assignments-zed-forbidden.json").Replace("identity:list_role_assignments", action, StringComparison.Ordinal),
        "application/json", statusCode: 403);

    private static IResult Unauthorized() => Results.Content(
        """{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}""",
        "application/json", statusCode: 401);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
