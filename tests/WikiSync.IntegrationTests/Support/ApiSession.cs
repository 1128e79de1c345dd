using System.Net;
using System.Text.Json;

namespace WikiSync.IntegrationTests.Support;

/// <summary>A page as the test suite reads it straight from the API.</summary>
public sealed record ApiPage(string Title, bool Exists, string Text, long RevisionId, string? Timestamp);

/// <summary>What the wiki's own parser makes of a text: the structure a value must never change.</summary>
public sealed record PageStructure(
    IReadOnlyList<string> Sections,
    IReadOnlyList<string> Templates,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Links,
    IReadOnlyList<string> ExternalLinks,
    string Html);

/// <summary>
/// A plain Action API session of the test suite's own (not WikiSync's client): the "raw loop" of the
/// benchmarks, the second user who edits by hand in the soak, and the reader the checks trust.
/// </summary>
public sealed class ApiSession : IDisposable
{
    /// <summary>The API code of the extension's warning for a change inside a generated section.</summary>
    public const string GeneratedSectionWarning = "wikisync-generated-section";

    private readonly HttpClient _http;
    private string? _csrf;

    public ApiSession(Uri api, TimeSpan? timeout = null)
    {
        Api = api;
        _http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), UseProxy = false })
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("WikiSync-tests/1.0 (test suite)");
    }

    public Uri Api { get; }

    public int Requests { get; private set; }

    /// <summary>Logs in with action=login (a bot password "User@App", or a main password on a local wiki).</summary>
    public async Task LoginAsync(string user, string password, CancellationToken ct = default)
    {
        var token = (await GetAsync("action=query&meta=tokens&type=login", ct)).GetProperty("query").GetProperty("tokens").GetProperty("logintoken").GetString()!;
        var result = await PostAsync(new() { ["action"] = "login", ["lgname"] = user, ["lgpassword"] = password, ["lgtoken"] = token }, ct);
        var status = result.GetProperty("login").GetProperty("result").GetString();
        if (status != "Success")
            throw new InvalidOperationException($"Login of {user} failed: {status}");
        _csrf = null;
    }

    public async Task<string> CsrfTokenAsync(CancellationToken ct = default) =>
        _csrf ??= (await GetAsync("action=query&meta=tokens", ct)).GetProperty("query").GetProperty("tokens").GetProperty("csrftoken").GetString()!;

    /// <summary>
    /// Saves a page; returns the new revision id (0 for nochange). Throws with the API code on refusal. Warned
    /// by the WikiSync extension for a change inside a generated section, it saves again, as the person it
    /// plays would: the tests that edit sections by hand are about what the service does next.
    /// </summary>
    public async Task<long> EditAsync(string title, string text, string summary = "test edit", bool bot = false,
        string? basetimestamp = null, CancellationToken ct = default)
    {
        try
        {
            return await EditOnceAsync(title, text, summary, bot, basetimestamp, ct);
        }
        catch (ApiSessionException e) when (e.Code == GeneratedSectionWarning)
        {
            return await EditOnceAsync(title, text, summary, bot, basetimestamp, ct);
        }
    }

    /// <summary>One save, with no second try after a warning.</summary>
    public async Task<long> EditOnceAsync(string title, string text, string summary = "test edit", bool bot = false,
        string? basetimestamp = null, CancellationToken ct = default)
    {
        var form = new Dictionary<string, string>
        {
            ["action"] = "edit", ["title"] = title, ["text"] = text, ["summary"] = summary, ["assert"] = "user",
        };
        if (bot)
            form["bot"] = "1";
        if (basetimestamp is not null)
            form["basetimestamp"] = basetimestamp;
        form["token"] = await CsrfTokenAsync(ct);
        var edit = (await PostAsync(form, ct)).GetProperty("edit");
        return edit.TryGetProperty("newrevid", out var rev) ? rev.GetInt64() : 0;
    }

    /// <summary>Reads the current text of pages, 50 titles a request.</summary>
    public async Task<IReadOnlyDictionary<string, ApiPage>> ReadAsync(IEnumerable<string> titles, CancellationToken ct = default)
    {
        var result = new Dictionary<string, ApiPage>(StringComparer.Ordinal);
        foreach (var chunk in titles.Chunk(50))
        {
            var json = await PostAsync(new()
            {
                ["action"] = "query", ["prop"] = "revisions", ["rvprop"] = "ids|content|timestamp", ["rvslots"] = "main",
                ["titles"] = string.Join('|', chunk),
            }, ct);
            var query = json.GetProperty("query");
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            if (query.TryGetProperty("normalized", out var normalized))
                foreach (var n in normalized.EnumerateArray())
                    names[n.GetProperty("to").GetString()!] = n.GetProperty("from").GetString()!;
            foreach (var page in query.GetProperty("pages").EnumerateArray())
            {
                var title = page.GetProperty("title").GetString()!;
                var asked = names.GetValueOrDefault(title, title);
                if (page.TryGetProperty("missing", out _) || !page.TryGetProperty("revisions", out var revisions))
                {
                    result[asked] = new ApiPage(title, false, "", 0, null);
                    continue;
                }
                var revision = revisions[0];
                result[asked] = new ApiPage(title, true, revision.GetProperty("slots").GetProperty("main").GetProperty("content").GetString()!,
                    revision.GetProperty("revid").GetInt64(), revision.GetProperty("timestamp").GetString());
            }
        }
        return result;
    }

    public async Task<ApiPage> ReadAsync(string title, CancellationToken ct = default) => (await ReadAsync([title], ct))[title];

    /// <summary>Number of revisions a page has (all of them, continuing).</summary>
    public async Task<int> RevisionCountAsync(string title, CancellationToken ct = default)
    {
        var count = 0;
        string? next = null;
        do
        {
            var json = await GetAsync("action=query&prop=revisions&rvprop=ids&rvlimit=max&titles=" + Uri.EscapeDataString(title) +
                (next is null ? "" : "&continue=%7C%7C&rvcontinue=" + Uri.EscapeDataString(next)), ct);
            var page = json.GetProperty("query").GetProperty("pages")[0];
            if (page.TryGetProperty("revisions", out var revisions))
                count += revisions.GetArrayLength();
            next = json.TryGetProperty("continue", out var c) && c.TryGetProperty("rvcontinue", out var rv) ? rv.GetString() : null;
        }
        while (next is not null);
        return count;
    }

    /// <summary>The structure the wiki's parser sees in a saved page.</summary>
    public async Task<PageStructure> ParseAsync(string title, CancellationToken ct = default) =>
        Structure((await PostAsync(new() { ["action"] = "parse", ["page"] = title, ["prop"] = "sections|templates|categories|links|externallinks|text" }, ct)).GetProperty("parse"));

    /// <summary>The structure the wiki's parser sees in a wikitext that is not saved.</summary>
    public async Task<PageStructure> ParseTextAsync(string text, string title = "Sandbox", CancellationToken ct = default) =>
        Structure((await PostAsync(new() { ["action"] = "parse", ["text"] = text, ["title"] = title, ["contentmodel"] = "wikitext", ["prop"] = "sections|templates|categories|links|externallinks|text" }, ct)).GetProperty("parse"));

    private static PageStructure Structure(JsonElement parse)
    {
        static IReadOnlyList<string> List(JsonElement parse, string name, string field) =>
            parse.TryGetProperty(name, out var list) ? [.. list.EnumerateArray().Select(e => e.GetProperty(field).GetString()!)] : [];
        return new PageStructure(
            List(parse, "sections", "line"),
            List(parse, "templates", "title"),
            List(parse, "categories", "category"),
            List(parse, "links", "title"),
            parse.TryGetProperty("externallinks", out var ext) ? [.. ext.EnumerateArray().Select(e => e.GetString()!)] : [],
            parse.TryGetProperty("text", out var html) ? html.GetString() ?? "" : "");
    }

    public async Task<JsonElement> GetAsync(string query, CancellationToken ct = default)
    {
        Requests++;
        using var response = await _http.GetAsync(new Uri(Api + "?format=json&formatversion=2&" + query), ct);
        return await JsonAsync(response, ct);
    }

    public async Task<JsonElement> PostAsync(Dictionary<string, string> form, CancellationToken ct = default)
    {
        Requests++;
        form["format"] = "json";
        form["formatversion"] = "2";
        // The token goes last, as MediaWiki asks, so a cut body is refused rather than half-applied.
        if (form.Remove("token", out var token))
            form["token"] = token;
        using var content = new FormUrlEncodedContent(form);
        using var response = await _http.PostAsync(Api, content, ct);
        return await JsonAsync(response, ct);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        if (doc.RootElement.TryGetProperty("error", out var error))
            throw new ApiSessionException(error.GetProperty("code").GetString() ?? "unknown", error.TryGetProperty("info", out var info) ? info.GetString() ?? "" : "");
        return doc.RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}

public sealed class ApiSessionException : Exception
{
    public ApiSessionException(string code, string info) : base($"{code}: {info}") => Code = code;

    public ApiSessionException() : this("unknown", "") { }

    public ApiSessionException(string message) : this("unknown", message) { }

    public ApiSessionException(string message, Exception inner) : base(message, inner) => Code = "unknown";

    public string Code { get; }
}
