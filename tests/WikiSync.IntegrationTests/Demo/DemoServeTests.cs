using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Demo;

[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<LocalWikiFixture>
{
    /// <summary>The demo writes the same pages (Nova Resource:bots …) every time: one demo at a time.</summary>
    public const string Name = "demo.sh --serve";
}

/// <summary>
/// Issue 16: after the demo's pages, <c>scripts/demo.sh --serve</c> leaves the service running with the
/// local IRC server, says where to look and what to type, and Ctrl-C stops what it started, only that.
/// The wiki is up before (the fixture), so the demo must leave it up.
/// </summary>
[Collection(DemoCollection.Name)]
public sealed class DemoServeTests(LocalWikiFixture wiki)
{
    // The demo builds the CLI in Release first: a no-op after scripts/test.sh's build, minutes on a cold machine.
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task The_status_page_of_demo_serve_opens_in_a_browser_and_ctrl_c_stops_what_it_started()
    {
        var demo = await DemoServe.StartAsync(StartLimit);
        await using (demo)
        {
            await using var chromium = await Chromium.LaunchAsync();
            var page = await chromium.NewPageAsync();

            var response = await page.GotoAsync(demo.StatusPage.ToString());

            await Chromium.ScreenshotAsync(page, "demo-serve-status-page");
            response!.Ok.ShouldBeTrue(demo.Output);
            demo.StatusPage.ShouldBe(new Uri($"http://127.0.0.1:{demo.HttpPort}/"));
            var text = await page.InnerTextAsync("body");
            foreach (var job in new[] { "instances", "members", "sal", "project-index" })
                text.ShouldContain(job, customMessage: demo.Output);
            (await page.Locator("tr", new() { HasText = "bots" }).Locator("button").CountAsync())
                .ShouldBeGreaterThan(0, "a refresh button for the demo's project bots");

            await CtrlCStopsWhatItStartedAsync(demo);
        }
    }

    [Fact]
    public async Task A_log_line_typed_on_the_demos_own_irc_server_appears_on_the_wiki()
    {
        var demo = await DemoServe.StartAsync(StartLimit);
        await using (demo)
        {
            demo.Irc.ShouldBe(("127.0.0.1", demo.IrcPort), demo.Output);
            demo.LogLine.ShouldStartWith("!log ");
            var project = demo.LogLine.Split(' ')[1];
            var message = demo.LogLine[$"!log {project} ".Length..];
            var check = Guid.NewGuid().ToString("N")[..6];
            await using var person = await IrcPerson.ConnectAsync(demo.Irc.Host, demo.Irc.Port, $"newcomer{check}");
            await person.JoinAsync(demo.Channel);
            await person.WaitForNickAsync(demo.Channel, demo.BotNick, TimeSpan.FromSeconds(60));

            await person.SayAsync(demo.Channel, $"{demo.LogLine} (check {check})");

            var reply = await person.WaitForAsync(
                l => l.StartsWith($":{demo.BotNick}!", StringComparison.OrdinalIgnoreCase) && l.Contains($" PRIVMSG {demo.Channel} :", StringComparison.OrdinalIgnoreCase),
                TimeSpan.FromSeconds(30));
            reply.ShouldContain($"Logged the message at {wiki.Env["WIKISYNC_LOCAL_WIKI_URL"]}Nova_Resource:{project}/SAL, newcomer{check}");
            using var reader = new ApiSession(wiki.Api);
            var until = DateTime.UtcNow.AddSeconds(30);
            while (!(await reader.ReadAsync($"Nova Resource:{project}/SAL")).Text.Contains($"(check {check})", StringComparison.Ordinal) && DateTime.UtcNow < until)
                await Task.Delay(250);
            var log = (await reader.ReadAsync($"Nova Resource:{project}/SAL")).Text;
            log.ShouldContain($"newcomer{check}: {message} (check {check})", customMessage: demo.Output);

            await CtrlCStopsWhatItStartedAsync(demo);
        }
    }

    private async Task CtrlCStopsWhatItStartedAsync(DemoServe demo)
    {
        (await demo.InterruptAsync(TimeSpan.FromSeconds(90))).ShouldBe(0, demo.Output);

        demo.LeftRunning().ShouldBeEmpty(demo.Output);
        DemoServe.Listens(demo.HttpPort).ShouldBeFalse("wikisync run stopped");
        DemoServe.Listens(demo.IrcPort).ShouldBeFalse("the IRC server the demo started stopped");
        using var reader = new ApiSession(wiki.Api);
        (await reader.ReadAsync("Nova Resource:Projects")).Exists.ShouldBeTrue("the wiki was up before the demo, so it is still up");
    }
}
