using WikiSync.IntegrationTests.Support;
using WikiSync.Wiki;

namespace WikiSync.IntegrationTests.Wiki;

[Collection(WikiCollection.Name)]
public sealed class WikiSiteTests(LocalWikiFixture wiki)
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Bot_logs_in_with_its_bot_password_and_reads_500_titles_a_request()
    {
        using var bot = wiki.CreateSite(wiki.Settings.User, wiki.Settings.Password);

        await bot.LoginAsync(None);
        var me = await bot.UserInfoAsync(None);

        me.Name.ShouldBe("WikiSyncBot");
        me.IsAnonymous.ShouldBeFalse();
        me.Groups.ShouldContain("bot");
        me.HasRight("apihighlimits").ShouldBeTrue();
        bot.BatchSize.ShouldBe(500);
        bot.RequestCount.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_main_account_password_is_refused_with_advice_to_create_a_bot_password()
    {
        using var human = wiki.CreateSite(wiki.Settings.MainUser, wiki.Settings.MainPassword);

        var error = await Should.ThrowAsync<WikiApiException>(() => human.LoginAsync(None));

        error.Kind.ShouldBe(WikiErrorKind.Login);

        error.Code.ShouldBe("mainaccount");
        error.Message.ShouldContain("Special:BotPasswords");
        error.Message.ShouldNotContain(wiki.Settings.MainPassword);
    }

    [Fact]
    public async Task A_wrong_bot_password_is_refused_naming_the_account_but_not_the_password()
    {
        using var wrong = wiki.CreateSite(wiki.Settings.User, "0123456789abcdefghijklmnopqrstuv");

        var error = await Should.ThrowAsync<WikiApiException>(() => wrong.LoginAsync(None));

        error.Kind.ShouldBe(WikiErrorKind.Login);

        error.Code.ShouldBe("loginfailed");
        error.Message.ShouldContain(wiki.Settings.User);
        error.Message.ShouldNotContain("0123456789abcdef");
    }

    [Fact]
    public async Task Other_edits_are_the_newest_revision_by_another_account_also_under_our_own_newer_one()
    {
        var edited = LocalWikiFixture.UniqueTitle("Other edits test");
        var ours = LocalWikiFixture.UniqueTitle("Other edits test");
        var first = await wiki.SaveAsync(wiki.Bot, edited, "one");
        await wiki.SaveAsync(wiki.Bot, ours, "one");
        var human = await wiki.SaveAsync(wiki.Editor, edited, "two");
        await wiki.SaveAsync(wiki.Bot, edited, "three");
        var oursLatest = await wiki.SaveAsync(wiki.Bot, ours, "two");

        var found = await wiki.Bot.ReadOtherEditsAsync(new Dictionary<string, long>
        {
            [edited] = first.RevisionId,
            [char.ToLowerInvariant(ours[0]) + ours[1..].Replace(' ', '_')] = 0,
            [LocalWikiFixture.UniqueTitle("Other edits missing")] = 0,
        }, None);

        found.ShouldHaveSingleItem().Key.ShouldBe(edited);
        found[edited].Revision.ShouldBe(human.RevisionId);
        found[edited].User.ShouldBe("Editor");
        oursLatest.RevisionId.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Reads_map_normalized_and_missing_titles_back_to_the_titles_as_asked()
    {
        var title = LocalWikiFixture.UniqueTitle("Read test");
        await wiki.SaveAsync(wiki.Bot, title, "hello");
        var asUnderscores = char.ToLowerInvariant(title[0]) + title[1..].Replace(' ', '_');
        var missing = LocalWikiFixture.UniqueTitle("Never created");

        var pages = await wiki.Bot.ReadPagesAsync([asUnderscores, title, missing], None);

        pages.Keys.ShouldBe([asUnderscores, title, missing], ignoreOrder: true);
        pages[asUnderscores].Title.ShouldBe(title);
        pages[asUnderscores].Text.ShouldBe("hello");
        pages[asUnderscores].Exists.ShouldBeTrue();
        pages[title].RevisionId.ShouldBe(pages[asUnderscores].RevisionId);
        pages[missing].Exists.ShouldBeFalse();
        pages[missing].CurTimestamp.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Invalid_titles_are_named_in_a_clear_error()
    {
        var good = LocalWikiFixture.UniqueTitle("Fine");

        var error = await Should.ThrowAsync<WikiApiException>(() => wiki.Bot.ReadPagesAsync(["Foo[bar]", "A|B", good], None));

        error.Kind.ShouldBe(WikiErrorKind.InvalidTitle);

        error.Message.ShouldContain("\"Foo[bar]\"");
        error.Message.ShouldContain("\"A|B\"");
        error.InvalidTitles.Count.ShouldBe(2);
        error.ValidPages[good].Exists.ShouldBeFalse();
    }

    [Fact]
    public async Task A_page_is_created_then_edited_with_one_revision_each()
    {
        var title = LocalWikiFixture.UniqueTitle("Create then edit");
        var missing = (await wiki.Bot.ReadPagesAsync([title], None))[title];

        var created = await wiki.Bot.EditAsync(new EditRequest(title, "first", "WikiSync: create", missing), None);
        var read = (await wiki.Bot.ReadPagesAsync([title], None))[title];
        var edited = await wiki.Bot.EditAsync(new EditRequest(title, "second", "WikiSync: update", read), None);

        created.Changed.ShouldBeTrue();
        edited.Changed.ShouldBeTrue();
        edited.RevisionId.ShouldBeGreaterThan(created.RevisionId);
        var history = await wiki.GetRevisionsAsync(title);
        history.Select(r => r.Text).ShouldBe(["first", "second"]);
        history.ShouldAllBe(r => r.User == "WikiSyncBot");
        history[1].Comment.ShouldBe("WikiSync: update");
        history[1].Minor.ShouldBeTrue();
        (await wiki.CountRevisionsAsync(title)).ShouldBe(2);
    }

    [Fact]
    public async Task A_long_summary_is_kept_by_the_wiki_exactly_as_cut()
    {
        var title = LocalWikiFixture.UniqueTitle("Long summary");
        var missing = (await wiki.Bot.ReadPagesAsync([title], None))[title];
        var summary = string.Concat(Enumerable.Repeat("é😀", 400));

        await wiki.Bot.EditAsync(new EditRequest(title, "text", summary, missing), None);

        var stored = (await wiki.GetRevisionsAsync(title)).Single().Comment;
        stored.ShouldBe(EditSummary.Truncate(summary));
        stored.EnumerateRunes().Count().ShouldBe(500);
    }

    [Fact]
    public async Task Saving_the_same_text_is_unchanged_and_makes_no_revision()
    {
        var title = LocalWikiFixture.UniqueTitle("No change");
        var page = await wiki.SaveAsync(wiki.Bot, title, "same");

        var result = await wiki.Bot.EditAsync(new EditRequest(title, "same", "WikiSync: update", page), None);

        result.Changed.ShouldBeFalse();
        result.RevisionId.ShouldBe(page.RevisionId);
        (await wiki.CountRevisionsAsync(title)).ShouldBe(1);
    }

    [Fact]
    public async Task A_create_of_a_page_someone_created_meanwhile_is_refused()
    {
        var title = LocalWikiFixture.UniqueTitle("Created meanwhile");
        var missing = (await wiki.Bot.ReadPagesAsync([title], None))[title];
        await wiki.SaveAsync(wiki.Editor, title, "a human was first");

        (await Should.ThrowAsync<WikiApiException>(() => wiki.Bot.EditAsync(new EditRequest(title, "bot text", "WikiSync: create", missing), None))).Kind.ShouldBe(WikiErrorKind.EditConflict);

        (await wiki.Bot.ReadPagesAsync([title], None))[title].Text.ShouldBe("a human was first");
    }

    [Fact]
    public async Task An_overlapping_human_edit_between_read_and_write_is_an_edit_conflict_and_is_kept()
    {
        var title = LocalWikiFixture.UniqueTitle("Conflict");
        await wiki.SaveAsync(wiki.Bot, title, "line one\nline two\nline three");
        var botRead = (await wiki.Bot.ReadPagesAsync([title], None))[title];
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        await wiki.SaveAsync(wiki.Editor, title, "line one\nline two, as a human wrote it\nline three");

        var error = await Should.ThrowAsync<WikiApiException>(() =>
            wiki.Bot.EditAsync(new EditRequest(title, "line one\nline two, as the bot renders it\nline three", "WikiSync: update", botRead), None));

        error.Kind.ShouldBe(WikiErrorKind.EditConflict);

        error.Title.ShouldBe(title);
        error.Message.ShouldContain(title);
        var history = await wiki.GetRevisionsAsync(title);
        history[^1].User.ShouldBe("Editor");
        history[^1].Text.ShouldBe("line one\nline two, as a human wrote it\nline three");
    }

    [Fact]
    public async Task A_distant_human_edit_between_read_and_write_is_merged_by_the_wiki_and_kept()
    {
        var title = LocalWikiFixture.UniqueTitle("Merged");
        var lines = Enumerable.Range(1, 12).Select(i => $"line {i}").ToArray();
        await wiki.SaveAsync(wiki.Bot, title, string.Join('\n', lines));
        var botRead = (await wiki.Bot.ReadPagesAsync([title], None))[title];
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        await wiki.SaveAsync(wiki.Editor, title, string.Join('\n', lines.Select((l, i) => i == 0 ? "line 1 by a human" : l)));

        var result = await wiki.Bot.EditAsync(
            new EditRequest(title, string.Join('\n', lines.Select((l, i) => i == 11 ? "line 12 by the bot" : l)), "WikiSync: update", botRead), None);

        result.Changed.ShouldBeTrue();
        var text = (await wiki.Bot.ReadPagesAsync([title], None))[title].Text;
        text.ShouldStartWith("line 1 by a human\n");
        text.ShouldEndWith("\nline 12 by the bot");
    }

    [Fact]
    public async Task An_edit_of_a_page_deleted_since_it_was_read_is_refused()
    {
        var title = LocalWikiFixture.UniqueTitle("Deleted meanwhile");
        var page = await wiki.SaveAsync(wiki.Bot, title, "soon gone");
        await wiki.Admin.InvokeAsync([new("action", "delete"), new("title", title), new("reason", "test")], write: true, None);

        (await Should.ThrowAsync<WikiApiException>(() => wiki.Bot.EditAsync(new EditRequest(title, "back?", "WikiSync: update", page), None))).Kind.ShouldBe(WikiErrorKind.EditConflict);

        (await wiki.Bot.ReadPagesAsync([title], None))[title].Exists.ShouldBeFalse();
    }

    [Fact]
    public async Task Recent_changes_name_the_revision_a_person_saved_on_top_of_and_the_id_of_a_deleted_page()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        var title = LocalWikiFixture.UniqueTitle("Recent changes");
        var ours = await wiki.SaveAsync(wiki.Bot, title, "by the bot");
        var untouched = await wiki.SaveAsync(wiki.Bot, LocalWikiFixture.UniqueTitle("Recent changes untouched"), "by the bot");
        await wiki.SaveAsync(wiki.Editor, title, "by a person");

        var recent = (await wiki.Bot.ReadRecentEditsAsync(since, [], None)).ShouldNotBeNull();

        recent.Supersedes(ours.RevisionId).ShouldBeTrue();
        recent.Supersedes(untouched.RevisionId).ShouldBeFalse();

        var gone = await wiki.SaveAsync(wiki.Bot, LocalWikiFixture.UniqueTitle("Recent changes deleted"), "soon gone");
        await wiki.Admin.InvokeAsync([new("action", "delete"), new("title", gone.Title), new("reason", "test")], write: true, None);
        gone.PageId.ShouldBeGreaterThan(0);
        var after = (await wiki.Bot.ReadRecentEditsAsync(since, [], None)).ShouldNotBeNull();
        after.Touched(gone.PageId).ShouldBeTrue();
        after.Touched(untouched.PageId).ShouldBeFalse();
    }

    [Fact]
    public async Task An_edit_of_a_protected_page_is_a_protectedpage_error()
    {
        var title = LocalWikiFixture.UniqueTitle("Protected");
        var page = await wiki.SaveAsync(wiki.Bot, title, "locked");
        await wiki.Admin.InvokeAsync([new("action", "protect"), new("title", title), new("protections", "edit=sysop"), new("expiry", "infinite")], write: true, None);

        var error = await Should.ThrowAsync<WikiApiException>(() => wiki.Bot.EditAsync(new EditRequest(title, "changed", "WikiSync: update", page), None));

        error.Kind.ShouldBe(WikiErrorKind.Protected);

        error.Message.ShouldContain(title);
    }

    [Fact]
    public async Task Parse_shows_the_structure_the_wiki_sees()
    {
        var title = LocalWikiFixture.UniqueTitle("Parsed");
        await wiki.SaveAsync(wiki.Bot, title, "== Heading ==\n[[Main Page]] {{Some template}}\n[[Category:Tested]]\nhttps://example.org/x");

        var parsed = await wiki.Bot.ParseAsync(title, None);

        parsed.Title.ShouldBe(title);
        parsed.Sections.Select(s => (s.Level, s.Line)).ShouldBe([(2, "Heading")]);
        parsed.Templates.ShouldBe(["Template:Some template"]);
        parsed.Categories.ShouldBe(["Tested"]);
        parsed.Links.ShouldContain("Main Page");
        parsed.ExternalLinks.ShouldBe(["https://example.org/x"]);
        parsed.Html.ShouldContain("Heading");
    }

    [Fact]
    public async Task Page_urls_open_the_page_on_the_local_wiki()
    {
        var title = LocalWikiFixture.UniqueTitle("Url test");
        await wiki.SaveAsync(wiki.Bot, title, "visible text");
        using var http = new HttpClient();

        var html = await http.GetStringAsync(new Uri(wiki.PageUrl(title)));

        html.ShouldContain("visible text");
    }
}
