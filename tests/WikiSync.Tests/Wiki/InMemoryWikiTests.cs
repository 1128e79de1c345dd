using WikiSync.Testing;
using WikiSync.Wiki;

namespace WikiSync.Tests.Wiki;

/// <summary>The unit tests' wiki refuses what MediaWiki refuses, or the sync tests would prove nothing.</summary>
public sealed class InMemoryWikiTests
{
    [Fact]
    public async Task The_fake_wiki_refuses_an_edit_based_on_an_older_revision_like_MediaWiki()
    {
        var wiki = new InMemoryWiki();
        wiki.Save("P", "one");
        var read = (await wiki.ReadPagesAsync(["P"], CancellationToken.None))["P"];
        wiki.BeforeEdit = (_, _) =>
        {
            wiki.Save("P", "a human's text");
            return Task.CompletedTask;
        };

        (await Should.ThrowAsync<WikiApiException>(() => wiki.EditAsync(new EditRequest("P", "bot", "s", read), CancellationToken.None))).Kind.ShouldBe(WikiErrorKind.EditConflict);

        wiki.Text("P").ShouldBe("a human's text");
    }

    [Fact]
    public async Task The_fake_wiki_answers_the_same_text_as_unchanged_and_creates_missing_pages()
    {
        var wiki = new InMemoryWiki();
        var missing = (await wiki.ReadPagesAsync(["P"], CancellationToken.None))["P"];

        var created = await wiki.EditAsync(new EditRequest("P", "text", "s", missing), CancellationToken.None);
        var read = (await wiki.ReadPagesAsync(["P"], CancellationToken.None))["P"];
        var again = await wiki.EditAsync(new EditRequest("P", "text", "s", read), CancellationToken.None);

        created.Changed.ShouldBeTrue();
        again.Changed.ShouldBeFalse();
        wiki.History("P").Select(r => (r.User, r.Text)).ShouldBe([("WikiSyncBot", "text")]);
        (await Should.ThrowAsync<WikiApiException>(() => wiki.EditAsync(new EditRequest("P", "x", "s", missing), CancellationToken.None))).Code.ShouldBe("articleexists");
    }

    [Fact]
    public async Task The_fake_wiki_refuses_an_edit_of_a_page_deleted_after_the_read()
    {
        var wiki = new InMemoryWiki();
        wiki.Save("P", "one");
        var read = (await wiki.ReadPagesAsync(["P"], CancellationToken.None))["P"];
        wiki.Delete("P");

        (await Should.ThrowAsync<WikiApiException>(() => wiki.EditAsync(new EditRequest("P", "two", "s", read), CancellationToken.None))).Code.ShouldBe("missingtitle");
        wiki.Text("P").ShouldBeNull();
    }
}
