using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WikiSync.AdminLog;
using WikiSync.AdminLog.Search;
using WikiSync.Model;
using WikiSync.Storage;

namespace WikiSync.Hosting;

/// <summary>
/// The SAL's read-only routes on the HTTP port, open to anyone who can reach it:
/// <c>GET /sal</c> (search: <c>q</c>, <c>project</c>, <c>author</c>, <c>from</c>, <c>to</c>, <c>limit</c> 1–200,
/// <c>page</c>; HTML, or JSON with <c>format=json</c>), <c>GET /sal/entry/ID</c> (permalink),
/// <c>GET /sal.atom</c> and <c>GET /sal/PROJECT.atom</c> (Atom 1.0, the last 50 entries).
/// </summary>
public static class SalSearchEndpoints
{
    private const int FeedEntries = 50;

    /// <summary>How many months the full log page shows (jobs/sal.yaml <c>months: 2</c>); older entries are on its monthly archive pages.</summary>
    private const int FullLogMonths = 2;

    public static IEndpointRouteBuilder MapSalSearch(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sal", SearchAsync);
        app.MapGet("/sal.atom", (HttpContext http, CancellationToken ct) => FeedAsync(http, null, ct));
        app.MapGet("/sal/{project}.atom", (HttpContext http, string project, CancellationToken ct) => FeedAsync(http, project, ct));
        app.MapGet("/sal/entry/{id}", EntryAsync);
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpContext http, CancellationToken ct)
    {
        var query = http.Request.Query;
        var json = string.Equals(query["format"], "json", StringComparison.OrdinalIgnoreCase);
        var parsed = Parse(query);
        var search = Search(http);
        var links = Links(http);
        var now = Time(http).GetUtcNow();
        string WikiUrl(LogEntry e) => WikiAnchorUrl(links, e, now);
        if (parsed.Problem is { } problem)
        {
            return json
                ? Results.Json(new { error = problem }, statusCode: StatusCodes.Status400BadRequest)
                : Html(http, SalSearchPage.Render(new SalSearchModel(parsed.Query, query["from"], query["to"], 1, new SalResults([], false), WikiUrl, _ => "/sal", problem)), StatusCodes.Status400BadRequest);
        }

        var results = await search.SearchAsync(parsed.Query, ct);
        string PageUrl(int page) => "/sal" + QueryString.Create(query
            .Where(p => p.Key is not ("page" or "format"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new KeyValuePair<string, string?>("page", page.ToString(CultureInfo.InvariantCulture))));
        if (json)
        {
            return Results.Json(new
            {
                entries = results.Entries.Select(e => new
                {
                    id = e.Id,
                    project = e.Project,
                    author = e.Author,
                    message = e.Message,
                    time = e.ReceivedUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    permalink = Permalink(e),
                    wiki = WikiUrl(e),
                }),
                more = results.More,
                next = results.More ? PageUrl(parsed.Page + 1) : null,
            });
        }

        return Html(http, SalSearchPage.Render(new SalSearchModel(parsed.Query, query["from"], query["to"], parsed.Page, results, WikiUrl, PageUrl)));
    }

    private static async Task<IResult> EntryAsync(HttpContext http, string id, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || await Search(http).GetAsync(number, ct) is not { } entry)
        {
            return Results.Text($"no SAL entry {id}\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }

        return Html(http, SalSearchPage.RenderEntry(entry, WikiAnchorUrl(Links(http), entry, Time(http).GetUtcNow())));
    }

    private static async Task<IResult> FeedAsync(HttpContext http, string? project, CancellationToken ct)
    {
        var links = Links(http);
        var now = Time(http).GetUtcNow();
        if (project is not null)
        {
            var known = await http.RequestServices.GetRequiredService<IProjectNames>().ListAsync(ct);
            if (known.FirstOrDefault(n => string.Equals(n, project, StringComparison.OrdinalIgnoreCase)) is not { } match)
                return Results.Text($"unknown project \"{project}\"\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
            project = match;
        }

        var results = await Search(http).SearchAsync(new SalQuery(Project: project, Limit: FeedEntries), ct);
        var origin = $"{http.Request.Scheme}://{http.Request.Host}";
        var xml = SalAtomFeed.Render(
            project is null ? "Server Admin Log (all projects)" : $"Server Admin Log of {project}",
            project is null ? "urn:wikisync:sal:all" : $"urn:wikisync:sal:project:{project}",
            origin + (project is null ? "/sal.atom" : $"/sal/{Uri.EscapeDataString(project)}.atom"),
            project is null ? origin + "/sal" : links.LogUrl(Named(project)) ?? origin + "/sal",
            results.Entries,
            e => WikiAnchorUrl(links, e, now),
            e => origin + Permalink(e));
        return Results.Text(xml, SalAtomFeed.ContentType);
    }

    /// <summary>The entry's anchor on the page that shows it: the full log for recent months, else its month's archive.</summary>
    public static string WikiAnchorUrl(SalPages links, LogEntry entry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(entry);
        var month = new DateTime(entry.ReceivedUtc.Year, entry.ReceivedUtc.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var firstShown = new DateTime(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1 - FullLogMonths);
        // No job file defines a log page: the permalink stays the entry's only address.
        if (links.LogTitle(Named(entry.Project)) is not { } title)
            return "";
        if (month < firstShown)
            title += "/" + month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return links.PageUrl(title) + "#" + entry.Anchor;
    }

    private static string Permalink(LogEntry entry) => "/sal/entry/" + entry.Id.ToString(CultureInfo.InvariantCulture);

    private sealed record Parsed(SalQuery Query, int Page, string? Problem);

    private static Parsed Parse(IQueryCollection query)
    {
        string? Text(string name) => query[name].ToString() is { Length: > 0 } v ? v.Trim() : null;
        var words = Text("q");
        var plain = new SalQuery(words, Text("project"), Text("author"));
        if (words is { Length: > 500 })
            return new Parsed(plain, 1, "q: at most 500 characters");
        var limit = SalQuery.DefaultLimit;
        if (Text("limit") is { } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > SalQuery.MaxLimit))
            return new Parsed(plain, 1, $"limit: \"{l}\" is not a number from 1 to {SalQuery.MaxLimit}");
        var page = 1;
        if (Text("page") is { } p && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > 100_000))
            return new Parsed(plain with { Limit = limit }, 1, $"page: \"{p}\" is not a page number");
        if (!TryTime(Text("from"), endOfDay: false, out var from) || !TryTime(Text("to"), endOfDay: true, out var to))
            return new Parsed(plain with { Limit = limit }, 1, "from and to: a date (YYYY-MM-DD) or a time (ISO 8601)");
        return new Parsed(plain with { From = from, Until = to, Limit = limit, Offset = (page - 1) * limit }, page, null);
    }

    /// <summary>A date means the whole day: <c>to=2026-03-05</c> includes that day.</summary>
    private static bool TryTime(string? text, bool endOfDay, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
            return true;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            time = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(endOfDay ? 1 : 0);
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exact))
        {
            time = exact;
            return true;
        }

        return false;
    }

    private static IResult Html(HttpContext http, string html, int status = StatusCodes.Status200OK)
    {
        // As the status page: no script, nothing from elsewhere, never framed; forms only to this origin.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        http.Response.Headers.XFrameOptions = "DENY";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    private static SalSearchStore Search(HttpContext http) =>
        http.RequestServices.GetService<SalSearchStore>() ?? new SalSearchStore(http.RequestServices.GetRequiredService<IStore>());

    private static SalPages Links(HttpContext http) => http.RequestServices.GetRequiredService<SalPages>();

    /// <summary>A project known only by name: all a log page's title pattern needs.</summary>
    private static Project Named(string name) => new(name, "", [], []);

    private static TimeProvider Time(HttpContext http) => http.RequestServices.GetRequiredService<TimeProvider>();
}
