using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace WikiSync.Hosting;

/// <summary>The HTTP port of <c>wikisync run</c>: status page, health, metrics, refresh and log intake.</summary>
public static class HttpEndpoints
{
    public static IEndpointRouteBuilder MapWikiSync(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", async (HttpContext http, StatusService status, CancellationToken ct) =>
        {
            var notice = http.Request.Query["refreshed"] is { Count: > 0 } refreshed
                ? $"Refresh of {refreshed[0]} started; reload to see its result."
                : null;
            var model = await status.GatherAsync(notice, ct);
            http.Response.Headers.CacheControl = "no-store";
            // No script and no outside asset: the page can be framed by nobody and loads nothing.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
            http.Response.Headers.XFrameOptions = "DENY";
            return Results.Content(StatusPage.Render(model), "text/html; charset=utf-8");
        });

        app.MapGet("/healthz", async (HealthProbe probe, CancellationToken ct) =>
        {
            var report = await probe.CheckAsync(ct);
            return report.Ready
                ? Results.Text("ok\n", "text/plain; charset=utf-8")
                : Results.Text("not ready: " + string.Join("; ", report.Problems) + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
        });

        app.MapGet("/metrics", async (HttpContext http, PrometheusMetrics metrics, CancellationToken ct) =>
        {
            http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.WriteAsync(http.Response.Body, ct);
        });

        app.MapPost("/refresh/{project}", async (string project, HttpContext http, RequestGuard guard, RefreshService refresh, IProjectNames names, CancellationToken ct) =>
        {
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
            var decision = guard.CheckStateChange(new StateChangeRequest(
                http.Connection.RemoteIpAddress,
                http.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
                http.Request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : null,
                http.Request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site ? site : null,
                http.Request.Host.HasValue ? http.Request.Host.Value : null,
                form?["csrf"].ToString()));
            if (!decision.Allowed)
                return Results.Text(decision.Reason + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);

            var known = await names.ListAsync(ct);
            var match = known.FirstOrDefault(n => string.Equals(n, project, StringComparison.OrdinalIgnoreCase));
            if (match is null)
                return Results.Text($"unknown project \"{project}\"\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);

            var started = refresh.Start(match);
            if (form is not null)
                return Results.Redirect("/?refreshed=" + Uri.EscapeDataString(match), permanent: false, preserveMethod: false);
            return Results.Json(new { project = match, started }, statusCode: StatusCodes.Status202Accepted);
        });

        app.MapPost("/log", async (HttpContext http, RequestGuard guard, IServiceProvider services, CancellationToken ct) =>
        {
            if (!guard.HasToken)
                return Results.Text("POST /log is off: no HTTP token is configured (WIKISYNC_HTTP_TOKEN)\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
            if (!guard.BearerMatches(http.Request.Headers.Authorization.ToString()))
                return Results.Text("missing or wrong bearer token\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            if (services.GetService(typeof(IHttpLogIntake)) is not IHttpLogIntake intake)
                return Results.Text("the Server Admin Log is not configured on this node\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);

            var entry = await ReadEntryAsync(http.Request, ct);
            if (entry.Error is { } error)
                return Results.Text(error + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            var result = await intake.AcceptAsync(entry.Project!, entry.Author!, entry.Message!, ct);
            return result.Accepted
                ? Results.Json(new { accepted = true, id = result.EntryId, message = result.Message }, statusCode: StatusCodes.Status202Accepted)
                : Results.Json(new { accepted = false, message = result.Message }, statusCode: StatusCodes.Status422UnprocessableEntity);
        });

        return app;
    }

    private sealed record LogBody(string? Project, string? Author, string? Message, string? Error);

    /// <summary>JSON <c>{"project","message","author"}</c> or a form with the same fields.</summary>
    private static async Task<LogBody> ReadEntryAsync(HttpRequest request, CancellationToken ct)
    {
        string? project, author, message;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            (project, author, message) = (form["project"].ToString(), form["author"].ToString(), form["message"].ToString());
        }
        else
        {
            try
            {
                using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
                var root = json.RootElement;
                project = Get(root, "project");
                author = Get(root, "author");
                message = Get(root, "message");
            }
            catch (JsonException e)
            {
                return new LogBody(null, null, null, $"the body is not JSON {{\"project\", \"message\", \"author\"}}: {e.Message}");
            }
        }

        if (string.IsNullOrWhiteSpace(project))
            return new LogBody(null, null, null, "field \"project\" is missing");
        if (string.IsNullOrWhiteSpace(message))
            return new LogBody(null, null, null, "field \"message\" is missing or empty");
        return new LogBody(project.Trim(), string.IsNullOrWhiteSpace(author) ? "http" : author.Trim(), message, null);
    }

    private static string? Get(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
