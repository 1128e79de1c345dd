using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WikiSync.AdminLog;
using WikiSync.Sync;

namespace WikiSync.Hosting;

/// <summary>The HTTP port of <c>wikisync run</c>: status page (HTML and JSON), health, metrics, refresh, log intake, and SAL search and feeds.</summary>
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

        // The same model for a machine (the MediaWiki extension's Special:WikiSync); read-only, open like "/".
        app.MapGet("/status.json", async (HttpContext http, StatusService status, CancellationToken ct) =>
        {
            var model = await status.GatherAsync(null, ct);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Content(StatusJson.Render(model), "application/json; charset=utf-8");
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

        // Every job for every project, at once (a script's "refresh everything now"); completion shows in
        // /metrics as wikisync_job_runs_total{job="refresh all"}.
        app.MapPost("/refresh", async (HttpContext http, RequestGuard guard, RefreshService refresh, CancellationToken ct) =>
        {
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
            var decision = guard.CheckStateChange(StateChange(http, form));
            if (!decision.Allowed)
                return Results.Text(decision.Reason + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
            var started = refresh.StartAll();
            if (form is not null)
                return Results.Redirect("/?refreshed=" + Uri.EscapeDataString("all projects"), permanent: false, preserveMethod: false);
            return Results.Json(new { project = (string?)null, started }, statusCode: StatusCodes.Status202Accepted);
        });

        app.MapPost("/refresh/{project}", async (string project, HttpContext http, RequestGuard guard, RefreshService refresh, IProjectNames names, CancellationToken ct) =>
        {
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
            var decision = guard.CheckStateChange(StateChange(http, form));
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

        // The SAL's own handler: the bearer token first, then the JSON body and the same intake as !log
        // (503 when this node has no SAL configured).
        app.MapPost("/log", (HttpContext http, RunSettings settings) => LogHttpEndpoint.HandleAsync(http, settings.HttpToken));

        app.MapSalSearch();

        return app;
    }

    private static StateChangeRequest StateChange(HttpContext http, IFormCollection? form) => new(
        http.Connection.RemoteIpAddress,
        http.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
        http.Request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : null,
        http.Request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site ? site : null,
        http.Request.Host.HasValue ? http.Request.Host.Value : null,
        form?["csrf"].ToString());
}
