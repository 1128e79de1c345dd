using System.Net;
using System.Text.Json;

namespace WikiSync.IntegrationTests.Hosting;

/// <summary>
/// A small client of the local wiki's api.php for the tests' own reads and edits (as a user other than
/// the bot, e.g. to set the emergency stop page), independent of WikiSync's client.
/// </summary>
public sealed class TestWiki : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _api;

    public TestWiki(string api)
    {
        _api = api;
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("WikiSync-tests/1.0 (hosting)");
    }

    public static TestWiki FromEnvironment(IReadOnlyDictionary<string, string> env) => new(env["WIKISYNC_WIKI_API"]);

    public async Task LoginAsync(string user, string password)
    {
        var token = (await GetAsync("action=query&meta=tokens&type=login")).GetProperty("query").GetProperty("tokens").GetProperty("logintoken").GetString()!;
        var result = await PostAsync(new() { ["action"] = "login", ["lgname"] = user, ["lgpassword"] = password, ["lgtoken"] = token });
        var outcome = result.GetProperty("login").GetProperty("result").GetString();
        if (outcome != "Success")
            throw new InvalidOperationException($"test login as {user} failed: {outcome}");
    }

    public async Task EditAsync(string title, string text, string summary = "test")
    {
        var token = (await GetAsync("action=query&meta=tokens")).GetProperty("query").GetProperty("tokens").GetProperty("csrftoken").GetString()!;
        var form = new Dictionary<string, string> { ["action"] = "edit", ["title"] = title, ["text"] = text, ["summary"] = summary, ["token"] = token };
        var result = await PostAsync(form);
        // The extension warns a person's change inside a generated section once; saving again keeps it, as a person would.
        if (result.TryGetProperty("error", out var warned) && warned.TryGetProperty("code", out var code)
            && code.GetString() == Support.ApiSession.GeneratedSectionWarning)
            result = await PostAsync(form);
        if (result.TryGetProperty("error", out var error))
            throw new InvalidOperationException($"test edit of {title} failed: {error}");
    }

    /// <summary>Revisions of a page, oldest first: (user, content).</summary>
    public async Task<IReadOnlyList<(string User, string Text)>> RevisionsAsync(string title)
    {
        var json = await GetAsync("action=query&prop=revisions&rvprop=user|content&rvslots=main&rvlimit=max&rvdir=newer&titles=" + Uri.EscapeDataString(title));
        var page = json.GetProperty("query").GetProperty("pages")[0];
        if (!page.TryGetProperty("revisions", out var revisions))
            return [];
        return revisions.EnumerateArray()
            .Select(r => (r.GetProperty("user").GetString()!, r.GetProperty("slots").GetProperty("main").GetProperty("content").GetString()!))
            .ToList();
    }

    private async Task<JsonElement> GetAsync(string query)
    {
        var text = await _http.GetStringAsync($"{_api}?format=json&formatversion=2&{query}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> PostAsync(Dictionary<string, string> form)
    {
        form["format"] = "json";
        form["formatversion"] = "2";
        using var response = await _http.PostAsync(_api, new FormUrlEncodedContent(form));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}
