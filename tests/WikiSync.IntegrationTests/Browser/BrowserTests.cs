using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Browser;

/// <summary>
/// Issue 8: what a person sees. Debian's chromium, through Playwright, opens the project page WikiSync
/// wrote on the local wiki and the status page of `wikisync run`; screenshots go to artifacts/screenshots/.
/// </summary>
[Collection(LiveWikiCollection.Name)]
public sealed class BrowserTests(LocalWikiFixture wiki)
{
    private const string HandWritten = "This project runs the bots of the wiki. Ask in #wikimedia-cloud before rebooting anything.";

    [Fact]
    public async Task Project_page_shows_the_instances_table_members_list_sal_days_and_the_hand_written_part()
    {
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 1);
        var project = bed.Projects[0];
        var title = bed.Titles[0];
        using (var editor = await wiki.EditorAsync())
            await editor.EditAsync(title, $"{HandWritten}\n\n== Instances ==\n");
        (await WikiSyncProcess.RunAsync(["store", "migrate"], bed.Env)).ExitCode.ShouldBe(0);
        var logged = new[] { "rebooted the web server", "upgraded the database to 15.4" };
        foreach (var message in logged)
        {
            var log = await WikiSyncProcess.RunAsync(["log", project.Name, message, "--author", "alice"], bed.Env);
            SyncBed.Keep("browser", log.Output);
            log.ExitCode.ShouldBe(0, log.Output);
        }
        var run = await WikiSyncProcess.RunAsync(["sync", "--job", "instances", "--job", "members", "--job", "sal-recent"], bed.Env);
        SyncBed.Keep("browser", run.Output);
        run.ExitCode.ShouldBe(0, run.Output);

        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        var response = await page.GotoAsync(wiki.PageUrl(title));
        response!.Ok.ShouldBeTrue();
        await Chromium.ScreenshotAsync(page, "project-page");

        var content = page.Locator("#mw-content-text");
        (await content.InnerTextAsync()).ShouldContain(HandWritten);
        var table = content.Locator("table", new() { HasText = project.Instances[0].Name });
        (await table.CountAsync()).ShouldBeGreaterThan(0, "the instances section renders as an HTML table");
        foreach (var instance in project.Instances)
            (await table.First.InnerTextAsync()).ShouldContain(instance.Name);
        foreach (var (user, _) in project.Members)
            (await content.Locator("li", new() { HasText = user }).CountAsync()).ShouldBeGreaterThan(0, $"member {user} is a list item");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await content.Locator("h3", new() { HasText = today }).CountAsync()).ShouldBeGreaterThan(0, "the SAL day is a heading");
        foreach (var message in logged)
            (await content.InnerTextAsync()).ShouldContain(message);
        (await page.InnerHTMLAsync("#mw-content-text")).ShouldNotContain("wikisync:begin");
    }

    [Fact]
    public async Task Status_page_shows_the_jobs_and_its_button_refreshes_a_project()
    {
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 2);
        (await bed.SyncAsync()).ExitCode.ShouldBe(0);
        var port = FreePort();
        var env = bed.Env;
        env["WIKISYNC_HTTP_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (await WikiSyncProcess.RunAsync(["store", "migrate"], env)).ExitCode.ShouldBe(0);
        await using var host = WikiSyncHost.Start(env, "run");
        var added = bed.AddInstance(1, 77);

        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        IResponse? response = null;
        while (response is null)
        {
            try
            {
                response = await page.GotoAsync($"http://127.0.0.1:{port}/");
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline && !host.HasExited)
            {
                await Task.Delay(500);
            }
        }
        response.Ok.ShouldBeTrue(host.Output);
        var text = await page.InnerTextAsync("body");
        foreach (var job in new[] { "instances", "members" })
            text.ShouldContain(job);
        await Chromium.ScreenshotAsync(page, "status-page");

        var project = bed.Projects[1].Name;
        var button = page.Locator("form", new() { HasText = project }).Locator("button").Or(
            page.Locator("tr", new() { HasText = project }).Locator("button"));
        (await button.CountAsync()).ShouldBeGreaterThan(0, $"a refresh button for {project}");
        await button.First.ClickAsync();
        await Chromium.ScreenshotAsync(page, "status-page-after-refresh");

        using var reader = new ApiSession(wiki.Api);
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!(await reader.ReadAsync(bed.Titles[1])).Text.Contains(added, StringComparison.Ordinal) && DateTime.UtcNow < until)
            await Task.Delay(500);
        (await reader.ReadAsync(bed.Titles[1])).Text.ShouldContain(added, customMessage: host.Output);
        SyncBed.Keep("browser", host.Output);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
