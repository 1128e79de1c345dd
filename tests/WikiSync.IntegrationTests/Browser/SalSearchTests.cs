using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Browser;

/// <summary>
/// Issue 14 §6 on a real `wikisync run`: search and permalinks in Debian's chromium, the feeds read by
/// Debian's python3-feedparser, and a request for another Host refused on every route.
/// </summary>
[Collection(LiveWikiCollection.Name)]
public sealed class SalSearchTests(LocalWikiFixture wiki)
{
    [Fact]
    public async Task Search_permalinks_and_feeds_work_in_a_browser_and_a_feed_parser_and_other_hosts_are_refused()
    {
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 2);
        var env = bed.Env;
        var port = FreePort();
        env["WIKISYNC_HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        (await WikiSyncProcess.RunAsync(["store", "migrate"], env)).ExitCode.ShouldBe(0);
        var (first, second) = (bed.Projects[0].Name, bed.Projects[1].Name);
        foreach (var (project, author, message) in new[]
        {
            (first, "alice", "restarted nginx on proxy-01"),
            (first, "bob", "upgraded <script>alert(1)</script> & friends"),
            (second, "alice", "restarted nginx in beta"),
        })
        {
            var log = await WikiSyncProcess.RunAsync(["log", project, message, "--author", author], env);
            log.ExitCode.ShouldBe(0, log.Output);
        }

        await using var host = WikiSyncHost.Start(env, "run");
        var origin = $"http://127.0.0.1:{port}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        await WaitUpAsync(http, origin + "/sal", host);

        // Search by words, project and author, as JSON for a script.
        var found = JsonDocument.Parse(await http.GetStringAsync($"{origin}/sal?format=json&q=restarted+nginx")).RootElement.GetProperty("entries");
        found.GetArrayLength().ShouldBe(2);
        found[0].GetProperty("message").GetString().ShouldBe("restarted nginx in beta");
        found[0].GetProperty("wiki").GetString()!.ShouldContain($"SAL#sal-");
        var byAuthor = JsonDocument.Parse(await http.GetStringAsync($"{origin}/sal?format=json&project={first}&author=bob")).RootElement.GetProperty("entries");
        byAuthor.GetArrayLength().ShouldBe(1);
        (await http.GetAsync($"{origin}/sal?limit=201")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var html = await http.GetStringAsync($"{origin}/sal?q=upgraded");
        html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends");
        html.ShouldNotContain("<script>");

        // Another Host (a rebound DNS name) is refused on every route, reads included.
        foreach (var path in new[] { "/", "/sal", "/sal.atom", "/healthz", "/metrics" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, origin + path);
            request.Headers.Host = "attacker.example";
            (await http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.BadRequest, path);
        }

        // The feeds, read by a real feed parser.
        var feeds = Directory.CreateTempSubdirectory("wikisync-feeds-").FullName;
        await File.WriteAllTextAsync(Path.Combine(feeds, "all.atom"), await http.GetStringAsync(origin + "/sal.atom"));
        await File.WriteAllTextAsync(Path.Combine(feeds, "first.atom"), await http.GetStringAsync($"{origin}/sal/{first}.atom"));
        (await http.GetAsync($"{origin}/sal/no-such-project.atom")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var all = await FeedParserAsync(Path.Combine(feeds, "all.atom"));
        all.GetProperty("bozo").GetInt32().ShouldBe(0, all.ToString());
        all.GetProperty("version").GetString().ShouldBe("atom10");
        all.GetProperty("entries").GetArrayLength().ShouldBe(3);
        all.GetProperty("entries")[0].GetProperty("content").GetString().ShouldBe("restarted nginx in beta");
        var one = await FeedParserAsync(Path.Combine(feeds, "first.atom"));
        one.GetProperty("bozo").GetInt32().ShouldBe(0, one.ToString());
        one.GetProperty("entries").GetArrayLength().ShouldBe(2);
        one.GetProperty("entries")[0].GetProperty("content").GetString().ShouldBe("upgraded <script>alert(1)</script> & friends");
        one.GetProperty("entries")[0].GetProperty("author").GetString().ShouldBe("bob");
        one.GetProperty("entries")[0].GetProperty("link").GetString()!.ShouldContain("#sal-");
        Directory.Delete(feeds, recursive: true);

        // A person: the form, the results, the permalink, without any script.
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        (await page.GotoAsync(origin + "/sal"))!.Ok.ShouldBeTrue();
        await page.FillAsync("input[name=q]", "nginx");
        await page.FillAsync("input[name=project]", first);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(u => u.Contains("q=nginx", StringComparison.Ordinal));
        var items = page.Locator("ol > li");
        (await items.CountAsync()).ShouldBe(1);
        (await items.First.InnerTextAsync()).ShouldContain("restarted nginx on proxy-01");
        await Chromium.ScreenshotAsync(page, "sal-search");
        await items.First.Locator("a.permalink").ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/sal/entry/", StringComparison.Ordinal));
        (await page.InnerTextAsync("body")).ShouldContain("alice: restarted nginx on proxy-01");
        (await page.Locator("a.wiki").GetAttributeAsync("href"))!.ShouldContain($"{first}/SAL#sal-");
        (await page.Locator("script").CountAsync()).ShouldBe(0);
    }

    private static async Task<JsonElement> FeedParserAsync(string file)
    {
        // Debian's python3-feedparser (scripts/install-deps.sh), not whatever python3 a PATH finds first.
        const string script = """
            import feedparser, json, sys
            d = feedparser.parse(sys.argv[1])
            print(json.dumps({"bozo": int(d.bozo), "bozo_exception": str(d.get("bozo_exception", "")), "version": d.version,
                "title": d.feed.get("title"), "entries": [{"title": e.get("title"), "author": e.get("author"), "link": e.get("link"),
                "id": e.get("id"), "content": e.content[0].value if e.get("content") else None} for e in d.entries]}))
            """;
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static async Task WaitUpAsync(HttpClient http, string url, WikiSyncHost host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !host.HasExited)
            {
            }

            if (DateTime.UtcNow >= deadline || host.HasExited)
                throw new TimeoutException("wikisync run did not answer: " + host.Output);
            await Task.Delay(300);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
