using WikiSync.Hosting;
using WikiSync.Testing;
using WikiSync.Tests.Support;
using WikiSync.Wiki;

namespace WikiSync.Tests.Hosting;

public sealed class MeteredWikiSiteTests
{
    [Theory]
    [InlineData("editconflict")]
    [InlineData("missingtitle")]
    [InlineData("articleexists")]
    [InlineData("pagedeleted")]
    [InlineData("a-code-no-one-knows")]
    public async Task Every_refusal_the_client_calls_a_conflict_is_counted_as_one_and_not_as_an_error(string code)
    {
        var metrics = new RecordingMetrics();
        var inner = new InMemoryWiki();
        inner.Refuse("P", new WikiApiException(WikiErrorKind.EditConflict, code, "changed under us"));
        var site = new MeteredWikiSite(inner, metrics);

        await Should.ThrowAsync<WikiApiException>(() => site.EditAsync(new EditRequest("P", "text", "s", WikiPage.Missing("P", "")), CancellationToken.None));

        metrics.Calls.ShouldBe(["conflict"]);
    }

    [Fact]
    public async Task Another_refusal_is_counted_by_its_code()
    {
        var metrics = new RecordingMetrics();
        var inner = new InMemoryWiki();
        inner.Refuse("P", WikiApiException.ProtectedPage("P"));
        var site = new MeteredWikiSite(inner, metrics);

        await Should.ThrowAsync<WikiApiException>(() => site.EditAsync(new EditRequest("P", "text", "s", WikiPage.Missing("P", "")), CancellationToken.None));

        metrics.Calls.ShouldBe(["error protectedpage"]);
    }

    [Fact]
    public async Task Other_accounts_edits_are_asked_of_the_wiki_underneath()
    {
        var inner = new InMemoryWiki();
        var ours = inner.Save("P", "one", InMemoryWiki.BotUser);
        var human = inner.Save("P", "two", "Editor");
        var site = new MeteredWikiSite(inner, new RecordingMetrics());

        var found = await site.ReadOtherEditsAsync(new Dictionary<string, long> { ["P"] = ours }, CancellationToken.None);

        found["P"].ShouldBe(new OtherEdit(human, "Editor", found["P"].Timestamp));
        inner.OtherEditRequests.ShouldHaveSingleItem().ShouldBe(["P"]);
    }
}
