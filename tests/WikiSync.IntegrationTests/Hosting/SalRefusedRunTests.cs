using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Hosting;

/// <summary>
/// Issue 14 §4 on a real `wikisync run`: an entry the wiki refused (its spam filter matches
/// WIKISYNC-SPAM-TEST) is listed on the status page and counted in /metrics, and no search or feed shows it.
/// </summary>
[Collection(LiveWikiCollection.Name)]
public sealed partial class SalRefusedRunTests(LocalWikiFixture wiki)
{
    private const string Spam = "WIKISYNC-SPAM-TEST";

    [GeneratedRegex(@"the wiki refused entry (\d+)")]
    private static partial Regex RefusedId();

    [Fact]
    public async Task A_refused_entry_is_on_the_status_page_and_in_metrics_and_in_no_search_or_feed()
    {
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 1);
        var env = bed.Env;
        var port = ScheduledRunTests.FreePortForTests();
        env["WIKISYNC_HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        (await WikiSyncProcess.RunAsync(["store", "migrate"], env)).ExitCode.ShouldBe(0);
        var project = bed.Projects[0].Name;
        var fine = await WikiSyncProcess.RunAsync(["log", project, "restarted nginx", "--author", "alice"], env);
        fine.ExitCode.ShouldBe(0, fine.Output);
        var spam = await WikiSyncProcess.RunAsync(["log", project, $"cheap <b>{Spam}</b> pills", "--author", "mallory"], env);
        spam.ExitCode.ShouldBe(1, spam.Output);
        var id = RefusedId().Match(spam.Stderr).Groups[1].Value;
        id.ShouldNotBeEmpty(spam.Output);

        await using var host = WikiSyncHost.Start(env, "run");
        var origin = $"http://127.0.0.1:{port}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var status = await StatusPageAsync(http, origin, host);

        status.ShouldContain("Refused SAL entries");
        status.ShouldContain($"<td>{id}</td>");
        status.ShouldContain(project);
        status.ShouldContain("mallory");
        status.ShouldContain("spamprotectionmatch");
        status.ShouldContain($"cheap &lt;b&gt;{Spam}&lt;/b&gt; pills");
        (await http.GetStringAsync(origin + "/metrics")).ShouldContain("wikisync_sal_entries_refused 1");
        JsonDocument.Parse(await http.GetStringAsync($"{origin}/sal?format=json&q=pills")).RootElement.GetProperty("entries").GetArrayLength().ShouldBe(0);
        JsonDocument.Parse(await http.GetStringAsync($"{origin}/sal?format=json&q=nginx")).RootElement.GetProperty("entries").GetArrayLength().ShouldBe(1);
        (await http.GetStringAsync(origin + "/sal.atom")).ShouldNotContain(Spam);
        (await http.GetStringAsync($"{origin}/sal/{project}.atom")).ShouldNotContain(Spam);
        (await http.GetAsync($"{origin}/sal/entry/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static async Task<string> StatusPageAsync(HttpClient http, string origin, WikiSyncHost host)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            host.HasExited.ShouldBeFalse(host.Output);
            try
            {
                var response = await http.GetAsync(origin + "/", deadline.Token);
                if (response.IsSuccessStatusCode)
                    return await response.Content.ReadAsStringAsync(deadline.Token);
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, deadline.Token);
        }
    }
}
