using System.Net;
using System.Text.Json.Nodes;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Sync;

/// <summary>
/// A raw Action API client for the tests' own look at the wiki: a second user's edits, page history and
/// what the parser makes of a page. Deliberately independent of WikiSync's own client.
/// </summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _api;

    public ApiClient(string api)
    {
        _api = new Uri(api);
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() });
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("WikiSync-tests/1.0");
    }

    public async Task LoginAsync(string user, string password)
    {
        var token = (await GetAsync(new() { ["action"] = "query", ["meta"] = "tokens", ["type"] = "login" }))["query"]!["tokens"]!["logintoken"]!.GetValue<string>();
        var login = await PostAsync(new() { ["action"] = "login", ["lgname"] = user, ["lgpassword"] = password, ["lgtoken"] = token });
        if (login["login"]?["result"]?.GetValue<string>() != "Success")
            throw new InvalidOperationException($"login as {user} failed");
    }

    public async Task<(string? Text, long RevisionId, string? Timestamp)> ReadAsync(string title)
    {
        var page = (await GetAsync(new()
        {
            ["action"] = "query", ["prop"] = "revisions", ["rvprop"] = "content|ids|timestamp", ["rvslots"] = "main", ["titles"] = title,
        }))["query"]!["pages"]![0]!;
        if (page["missing"] is not null)
            return (null, 0, null);
        var rev = page["revisions"]![0]!;
        return (rev["slots"]!["main"]!["content"]!.GetValue<string>(), rev["revid"]!.GetValue<long>(), rev["timestamp"]!.GetValue<string>());
    }

    public sealed record Revision(long Id, long ParentId, string User, string Comment, string Text);

    /// <summary>Every revision of the page, oldest first.</summary>
    public async Task<IReadOnlyList<Revision>> HistoryAsync(string title)
    {
        var page = (await GetAsync(new()
        {
            ["action"] = "query", ["prop"] = "revisions", ["rvprop"] = "content|ids|user|comment", ["rvslots"] = "main",
            ["rvlimit"] = "max", ["rvdir"] = "newer", ["titles"] = title,
        }))["query"]!["pages"]![0]!;
        if (page["missing"] is not null)
            return [];
        return page["revisions"]!.AsArray().Select(r => new Revision(
            r!["revid"]!.GetValue<long>(), r["parentid"]!.GetValue<long>(), r["user"]!.GetValue<string>(),
            r["comment"]?.GetValue<string>() ?? "", r["slots"]!["main"]!["content"]!.GetValue<string>())).ToList();
    }

    /// <summary>
    /// Saves the page as this client's user; throws with the API error code on refusal. Warned by the WikiSync
    /// extension for a change inside a generated section, it saves again, as a person would.
    /// </summary>
    public async Task<long> EditAsync(string title, string text, string summary = "hand edit")
    {
        var token = (await GetAsync(new() { ["action"] = "query", ["meta"] = "tokens" }))["query"]!["tokens"]!["csrftoken"]!.GetValue<string>();
        var result = await PostAsync(new() { ["action"] = "edit", ["title"] = title, ["text"] = text, ["summary"] = summary, ["token"] = token });
        if (result["error"]?["code"]?.GetValue<string>() == ApiSession.GeneratedSectionWarning)
            result = await PostAsync(new() { ["action"] = "edit", ["title"] = title, ["text"] = text, ["summary"] = summary, ["token"] = token });
        if (result["error"] is { } error)
            throw new InvalidOperationException($"edit of {title} refused: {error["code"]}");
        return result["edit"]!["newrevid"]?.GetValue<long>() ?? 0;
    }

    /// <summary>The page's structure as MediaWiki's parser reports it: headings, templates, categories, links.</summary>
    public async Task<string> StructureAsync(string title)
    {
        var parse = (await GetAsync(new()
        {
            ["action"] = "parse", ["page"] = title, ["prop"] = "sections|templates|categories|links|externallinks",
        }))["parse"]!;
        return new JsonObject
        {
            ["sections"] = new JsonArray(parse["sections"]!.AsArray().Select(s => (JsonNode)JsonValue.Create($"{s!["level"]}:{s["line"]}")!).ToArray()),
            ["templates"] = parse["templates"]!.DeepClone(),
            ["categories"] = parse["categories"]!.DeepClone(),
            ["links"] = parse["links"]!.DeepClone(),
            ["externallinks"] = parse["externallinks"]!.DeepClone(),
        }.ToJsonString();
    }

    public async Task<JsonNode> GetAsync(Dictionary<string, string> parameters)
    {
        parameters["format"] = "json";
        parameters["formatversion"] = "2";
        var query = string.Join("&", parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        using var response = await _http.GetAsync(new Uri(_api + "?" + query));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public async Task<JsonNode> PostAsync(Dictionary<string, string> parameters)
    {
        parameters["format"] = "json";
        parameters["formatversion"] = "2";
        using var content = new FormUrlEncodedContent(parameters);
        using var response = await _http.PostAsync(_api, content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public void Dispose() => _http.Dispose();
}
