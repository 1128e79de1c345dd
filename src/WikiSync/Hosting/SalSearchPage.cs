using System.Globalization;
using System.Net;
using System.Text;
using WikiSync.AdminLog.Search;
using WikiSync.Model;

namespace WikiSync.Hosting;

/// <summary>What the search page shows: the query as asked, a page of entries, and the links around it.</summary>
public sealed record SalSearchModel(
    SalQuery Query,
    string? FromText,
    string? ToText,
    int Page,
    SalResults Results,
    Func<LogEntry, string> WikiUrl,
    Func<int, string> PageUrl,
    string? Problem = null);

/// <summary>Renders <c>GET /sal</c> and <c>/sal/entry/ID</c>: plain HTML with a GET form, no script, every value encoded.</summary>
public static class SalSearchPage
{
    private const string Head = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>{0}</title>
        <link rel="alternate" type="application/atom+xml" title="Server Admin Log (all projects)" href="/sal.atom">
        <style>
        body{{font-family:system-ui,sans-serif;margin:1.5em;color:#202122}}
        form{{margin-bottom:1em}}label{{margin-right:.8em}}input{{margin-left:.3em}}
        ol{{padding-left:0;list-style:none}}li{{padding:.35em 0;border-bottom:1px solid #eaecf0}}
        .when{{color:#54595d;font-variant-numeric:tabular-nums}}.project{{font-weight:bold}}
        .links{{font-size:.9em;margin-left:.5em}}.problem{{padding:.4em 1em;border:2px solid #d33;background:#fee7e6}}
        </style></head><body>

        """;

    public static string Render(SalSearchModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var q = model.Query;
        var html = new StringBuilder(16384);
        html.Append(CultureInfo.InvariantCulture, $"{string.Format(CultureInfo.InvariantCulture, Head, "Server Admin Log search")}");
        html.Append("<h1>Server Admin Log</h1>\n");
        html.Append("<form method=\"get\" action=\"/sal\">\n")
            .Append(Field("q", "Words", q.Words, "search"))
            .Append(Field("project", "Project", q.Project, "text"))
            .Append(Field("author", "Author", q.Author, "text"))
            .Append(Field("from", "From", model.FromText, "date"))
            .Append(Field("to", "To", model.ToText, "date"))
            .Append(Field("limit", "Per page", q.Limit.ToString(CultureInfo.InvariantCulture), "number", " min=\"1\" max=\"200\""))
            .Append("<button type=\"submit\">Search</button>\n</form>\n");
        if (model.Problem is { } problem)
        {
            html.Append("<p class=\"problem\">").Append(E(problem)).Append("</p>\n");
        }
        else if (model.Results.Entries.Count == 0)
        {
            html.Append("<p>No entries match.</p>\n");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Entries {q.Offset + 1}–{q.Offset + model.Results.Entries.Count}, newest first.</p>\n<ol>\n");
            foreach (var entry in model.Results.Entries)
                html.Append("<li>").Append(EntryLine(entry, model.WikiUrl(entry))).Append("</li>\n");
            html.Append("</ol>\n");
        }

        html.Append("<p>");
        if (model.Page > 1)
            html.Append("<a rel=\"prev\" href=\"").Append(E(model.PageUrl(model.Page - 1))).Append("\">← Newer</a> ");
        if (model.Results.More)
            html.Append("<a rel=\"next\" href=\"").Append(E(model.PageUrl(model.Page + 1))).Append("\">Older →</a> ");
        html.Append("<a href=\"").Append(E(q.Project is { Length: > 0 } p ? $"/sal/{Uri.EscapeDataString(p)}.atom" : "/sal.atom")).Append("\">Atom feed</a></p>\n");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    public static string RenderEntry(LogEntry entry, string wikiUrl)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var html = new StringBuilder(4096);
        html.Append(string.Format(CultureInfo.InvariantCulture, Head, E($"SAL entry {entry.Id} of {entry.Project}")));
        html.Append(CultureInfo.InvariantCulture, $"<h1>Server Admin Log entry {entry.Id}</h1>\n");
        html.Append("<p>").Append(EntryLine(entry, wikiUrl)).Append("</p>\n");
        html.Append("<p><a href=\"/sal?project=").Append(E(Uri.EscapeDataString(entry.Project))).Append("\">More of ").Append(E(entry.Project)).Append("</a></p>\n");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string EntryLine(LogEntry entry, string wikiUrl) =>
        $"<time class=\"when\" datetime=\"{E(entry.ReceivedUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))}\">{E(entry.ReceivedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))}</time> "
        + $"<span class=\"project\">{E(entry.Project)}</span> "
        + $"<span class=\"author\">{E(entry.Author)}</span>: <span class=\"message\">{E(entry.Message)}</span>"
        + $"<span class=\"links\"> (<a class=\"permalink\" href=\"/sal/entry/{entry.Id.ToString(CultureInfo.InvariantCulture)}\">permalink</a>, <a class=\"wiki\" href=\"{E(wikiUrl)}\">on the wiki</a>)</span>";

    private static string Field(string name, string label, string? value, string type, string extra = "") =>
        $"<label>{E(label)}<input type=\"{type}\" name=\"{name}\" value=\"{E(value ?? "")}\"{extra}></label>\n";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
