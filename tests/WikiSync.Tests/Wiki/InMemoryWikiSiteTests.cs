using WikiSync.Tests.Support;
using WikiSync.Wiki;

namespace WikiSync.Tests.Wiki;

public sealed class InMemoryWikiSiteTests
{
    [Fact]
    public async Task The_fake_wiki_refuses_an_edit_based_on_an_older_revision_like_MediaWiki()
    {
        var wiki = new InMemoryWikiSite();
        wiki.Save("P", "one");
        var read = (await wiki.ReadPagesAsync(["P"], CancellationToken.None))["P"];
        wiki.BeforeEdit = _ => wiki.Save("P", "a human's text");

        (await Should.ThrowAsync<WikiApiException>(() => wiki.EditAsync(new EditRequest("P", "bot", "s", read), CancellationToken.None))).Kind.ShouldBe(WikiErrorKind.EditConflict);

        wiki.TextOf("P").ShouldBe("a human's text");
    }

    [Fact]
    public async Task The_fake_wiki_answers_the_same_text_as_unchanged_and_creates_missing_pages()
    {
        var wiki = new InMemoryWikiSite();
        var missing = (await wiki.ReadPagesAsync(["P"], CancellationToken.None))["P"];

        var created = await wiki.EditAsync(new EditRequest("P", "text", "s", missing), CancellationToken.None);
        var read = (await wiki.ReadPagesAsync(["P"], CancellationToken.None))["P"];
        var again = await wiki.EditAsync(new EditRequest("P", "text", "s", read), CancellationToken.None);

        created.Changed.ShouldBeTrue();
        again.Changed.ShouldBeFalse();
        wiki.History("P").ShouldBe([("WikiSyncBot", "text")]);
        (await Should.ThrowAsync<WikiApiException>(() => wiki.EditAsync(new EditRequest("P", "x", "s", missing), CancellationToken.None))).Kind.ShouldBe(WikiErrorKind.EditConflict);
    }
}
