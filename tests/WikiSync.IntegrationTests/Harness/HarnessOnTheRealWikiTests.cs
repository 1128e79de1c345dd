using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Harness;

/// <summary>The suite's own tools against the real wiki: the proxy's faults are the wiki's, the checker reads real histories.</summary>
[Collection(LiveWikiCollection.Name)]
public sealed class HarnessOnTheRealWikiTests(LocalWikiFixture wiki)
{
    private const string Page = "Hand-written intro.\n<!-- wikisync:begin instances -->\nold\n<!-- wikisync:end instances -->\nHand-written outro.";

    [Fact]
    public async Task History_checker_accepts_bot_edits_inside_markers_and_flags_one_outside()
    {
        var title = LocalWikiFixture.UniqueTitle("Harness history");
        using var editor = await wiki.EditorAsync();
        using var bot = await wiki.BotAsync();
        await editor.EditAsync(title, Page);
        await bot.EditAsync(title, Page.Replace("old", "new", StringComparison.Ordinal), bot: true);
        await editor.EditAsync(title, Page.Replace("old", "new", StringComparison.Ordinal) + "\nA person's line.");
        using var http = new HttpClient();
        var checker = new HistoryChecker(http, wiki.Api, wiki.BotUser);
        var clean = await checker.CheckAsync([title]);
        clean.Revisions.ShouldBe(3);
        clean.BotRevisions.ShouldBe(1);
        clean.Violations.ShouldBeEmpty();

        await bot.EditAsync(title, Page.Replace("outro", "OUTRO", StringComparison.Ordinal), bot: true);
        var dirty = await checker.CheckAsync([title]);
        dirty.Violations.Count.ShouldBe(1);
        dirty.Violations[0].Reason.ShouldContain("differs");
    }

    [Fact]
    public async Task Proxy_faults_produce_the_wikis_own_refusals()
    {
        await using var proxy = await FaultProxy.StartAsync(wiki.Api);
        using var bot = await wiki.BotAsync(proxy.Rewrite(wiki.Api));
        var title = LocalWikiFixture.UniqueTitle("Harness faults");
        await bot.EditAsync(title, "first", bot: true);

        proxy.Schedule(FaultKind.LostSession);
        (await Should.ThrowAsync<ApiSessionException>(() => bot.EditAsync(title, "second", bot: true))).Code.ShouldBe("assertuserfailed");
        proxy.Schedule(FaultKind.BadToken);
        (await Should.ThrowAsync<ApiSessionException>(() => bot.EditAsync(title, "second", bot: true))).Code.ShouldBe("badtoken");
        proxy.Schedule(FaultKind.Maxlag);
        (await Should.ThrowAsync<ApiSessionException>(() => bot.EditAsync(title, "second", bot: true))).Code.ShouldBe("maxlag");

        await bot.EditAsync(title, "second", bot: true);
        (await bot.ReadAsync(title)).Text.ShouldBe("second");
        proxy.InjectedTotal.ShouldBe(3);
        proxy.RecoveredTotal.ShouldBe(3);
        proxy.RequestsByAction["edit"].ShouldBe(5);
    }
}
