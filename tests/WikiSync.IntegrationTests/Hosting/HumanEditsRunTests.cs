using System.Text.Json;

namespace WikiSync.IntegrationTests.Hosting;

/// <summary>Issue 15: <c>wikisync run</c> replaces an edit inside its section, and says so in <c>/status.json</c> and <c>/metrics</c>.</summary>
[Collection(HostingProcessesCollection.Name)]
public sealed class HumanEditsRunTests
{
    [Fact]
    public async Task An_edit_inside_the_section_is_replaced_and_shows_in_status_json_and_metrics()
    {
        using var work = new HostingWorkspace("1s");
        using var editor = await work.EditorWithInitialPageAsync();
        await work.MigrateAsync();
        var port = ScheduledRunTests.FreePortForTests();
        await using var node = WikiSyncNode.Start("node", work.Environment(), port, "run");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        async Task<int> BotRevisions() => (await editor.RevisionsAsync(work.Page)).Count(r => r.User.StartsWith("WikiSyncBot", StringComparison.Ordinal));
        await ScheduledRunTests.WaitUntil(async () => await BotRevisions() == 1, TimeSpan.FromSeconds(60), () => node.Output);

        var generated = (await editor.RevisionsAsync(work.Page))[^1].Text;
        await editor.EditAsync(work.Page, generated.Replace("Description: first description", "Description: first description (a note by hand)", StringComparison.Ordinal));

        await ScheduledRunTests.WaitUntil(async () => await BotRevisions() == 2, TimeSpan.FromSeconds(60), () => node.Output);
        (await editor.RevisionsAsync(work.Page))[^1].Text.ShouldNotContain("a note by hand");
        JsonElement status = default;
        await ScheduledRunTests.WaitUntil(async () =>
        {
            using var response = await http.GetAsync("/status.json");
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
            response.Headers.CacheControl!.NoStore.ShouldBeTrue();
            status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            return status.GetProperty("human_edits").GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(30), () => node.Output);

        foreach (var key in new[] { "generated", "node", "leader", "store", "emergency_stop", "jobs", "failures", "sal", "recent_edits", "human_edits" })
            status.TryGetProperty(key, out _).ShouldBeTrue(key);
        status.GetProperty("emergency_stop").GetProperty("status").GetString().ShouldBeOneOf("unknown", "clear");
        var job = status.GetProperty("jobs").EnumerateArray().First(j => j.GetProperty("name").GetString() == "desc");
        job.GetProperty("schedule").GetString().ShouldNotBeNullOrEmpty();
        var human = status.GetProperty("human_edits")[0];
        human.GetProperty("title").GetString().ShouldBe(work.Page);
        human.GetProperty("section").GetString().ShouldBe("desc");
        human.GetProperty("user").GetString().ShouldBe("Editor");
        human.GetProperty("job").GetString().ShouldBe("desc");
        human.GetProperty("action").GetString().ShouldBe("replaced");
        human.GetProperty("revision").GetInt64().ShouldBeGreaterThan(0);
        status.GetProperty("recent_edits").EnumerateArray().ShouldContain(e => e.GetProperty("title").GetString() == work.Page);
        var text = status.GetRawText();
        text.ShouldNotContain(work.Environment()["WIKISYNC_WIKI_PASSWORD"]);
        text.ShouldNotContain(HostingWorkspace.Token);
        (await http.GetStringAsync("/metrics")).ShouldContain("wikisync_human_edits_replaced_total{job=\"desc\"} 1");
    }
}
