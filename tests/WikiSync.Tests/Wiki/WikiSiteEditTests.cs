using WikiSync.Tests.Support;
using WikiSync.Wiki;

namespace WikiSync.Tests.Wiki;

public sealed class WikiSiteEditTests
{
    [Fact]
    public async Task An_edit_of_an_existing_page_sends_its_read_timestamps_nocreate_and_the_token_last()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, r => FakeWikiHandler.EditSuccess(r["title"]!, 42, "2024-05-01T10:00:00Z"));
        using var site = TestSites.Create(wiki);

        var result = await site.EditAsync(TestSites.Edit("Nova Resource:Bots", "new"), CancellationToken.None);

        result.ShouldBe(new EditResult("Nova Resource:Bots", true, 42, "2024-05-01T10:00:00Z"));
        var edit = wiki.Edits.Single();
        edit["title"].ShouldBe("Nova Resource:Bots");
        edit["text"].ShouldBe("new");
        edit["summary"].ShouldBe("WikiSync: update");
        // baserevid alone: with basetimestamp MediaWiki takes a save in the same second as ours for no conflict.
        edit["basetimestamp"].ShouldBeNull();
        edit["baserevid"].ShouldBe("7");
        edit["starttimestamp"].ShouldBe("2024-05-01T09:30:00Z");
        edit["nocreate"].ShouldBe("1");
        edit["createonly"].ShouldBeNull();
        edit["bot"].ShouldBe("1");
        edit["minor"].ShouldBe("1");
        edit["assert"].ShouldBe("user");
        edit["maxlag"].ShouldBe("5");
        edit.Form[^1].ShouldBe(new KeyValuePair<string, string>("token", "csrf1+\\"));
    }

    [Fact]
    public async Task A_missing_page_is_created_with_createonly_and_no_basetimestamp()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, r => FakeWikiHandler.EditSuccess(r["title"]!));
        using var site = TestSites.Create(wiki);

        await site.EditAsync(new EditRequest("New", "text", "create", TestSites.Missing("New"), Minor: false, Bot: false), CancellationToken.None);

        var edit = wiki.Edits.Single();
        edit["createonly"].ShouldBe("1");
        edit["nocreate"].ShouldBeNull();
        edit["basetimestamp"].ShouldBeNull();
        edit["baserevid"].ShouldBeNull();
        edit["starttimestamp"].ShouldBe("2024-05-01T09:30:00Z");
        edit["bot"].ShouldBeNull();
        edit["minor"].ShouldBeNull();
    }

    [Fact]
    public async Task The_csrf_token_is_fetched_once_for_many_edits()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, r => FakeWikiHandler.EditSuccess(r["title"]!));
        using var site = TestSites.Create(wiki);

        for (var i = 0; i < 3; i++)
            await site.EditAsync(TestSites.Edit($"P{i}"), CancellationToken.None);

        wiki.CsrfFetches.ShouldBe(1);
        wiki.Edits.Count().ShouldBe(3);
    }

    [Fact]
    public async Task Badtoken_fetches_a_new_token_once_and_repeats_the_edit()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error("badtoken", "Invalid CSRF token."), times: 1);
        wiki.On(r => r.IsEdit, r => FakeWikiHandler.EditSuccess(r["title"]!));
        using var site = TestSites.Create(wiki);

        var result = await site.EditAsync(TestSites.Edit("P"), CancellationToken.None);

        result.Changed.ShouldBeTrue();
        wiki.CsrfFetches.ShouldBe(2);
        wiki.Edits.Select(e => e["token"]).ShouldBe(["csrf1+\\", "csrf2+\\"]);
        wiki.Logins.ShouldBe(1);
    }

    [Fact]
    public async Task Badtoken_twice_in_a_row_is_an_error()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error("badtoken", "Invalid CSRF token."));
        using var site = TestSites.Create(wiki);

        var error = await Should.ThrowAsync<WikiApiException>(() => site.EditAsync(TestSites.Edit("P"), CancellationToken.None));

        error.Code.ShouldBe("badtoken");
        wiki.Edits.Count().ShouldBe(2);
    }

    [Fact]
    public async Task Nochange_counts_as_unchanged_with_the_revision_read()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, r => FakeWikiHandler.NoChange(r["title"]!));
        using var site = TestSites.Create(wiki);

        var result = await site.EditAsync(TestSites.Edit("P", "old text"), CancellationToken.None);

        result.ShouldBe(new EditResult("P", false, 7, "2024-05-01T09:00:00Z"));
    }

    [Fact]
    public async Task Nochange_after_a_lost_answer_reports_the_revision_the_lost_try_saved()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => throw new HttpRequestException("connection reset after the wiki saved"), times: 1);
        wiki.On(r => r.IsEdit, r => FakeWikiHandler.NoChange(r["title"]!));
        wiki.On(r => r.IsQueryOf("revisions") && r["rvprop"] == "ids|user|timestamp", _ => FakeWikiHandler.Json("""
            {"query":{"pages":[{"pageid":1,"ns":0,"title":"P","revisions":[{"revid":8,"user":"WikiSyncBot","timestamp":"2024-05-01T10:00:05Z"}]}]}}
            """));
        using var site = TestSites.Create(wiki);

        var result = await site.EditAsync(TestSites.Edit("P"), CancellationToken.None);

        result.ShouldBe(new EditResult("P", true, 8, "2024-05-01T10:00:05Z"));
    }

    [Fact]
    public async Task Nochange_after_a_lost_answer_is_unchanged_when_someone_else_saved_the_text()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => new HttpResponseMessage(System.Net.HttpStatusCode.GatewayTimeout), times: 1);
        wiki.On(r => r.IsEdit, r => FakeWikiHandler.NoChange(r["title"]!));
        wiki.On(r => r.IsQueryOf("revisions") && r["rvprop"] == "ids|user|timestamp", _ => FakeWikiHandler.Json("""
            {"query":{"pages":[{"pageid":1,"ns":0,"title":"P","revisions":[{"revid":8,"user":"Human","timestamp":"2024-05-01T10:00:05Z"}]}]}}
            """));
        using var site = TestSites.Create(wiki);

        var result = await site.EditAsync(TestSites.Edit("P"), CancellationToken.None);

        result.Changed.ShouldBeFalse();
    }

    [Fact]
    public async Task A_long_summary_is_cut_to_the_wikis_limit()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, r => FakeWikiHandler.EditSuccess(r["title"]!));
        using var site = TestSites.Create(wiki);

        await site.EditAsync(TestSites.Edit("P") with { Summary = new string('x', 2000) }, CancellationToken.None);

        wiki.Edits.Single()["summary"]!.Length.ShouldBe(500);
    }

    [Theory]
    [InlineData("editconflict", WikiErrorKind.EditConflict)]
    [InlineData("protectedpage", WikiErrorKind.Protected)]
    [InlineData("cascadeprotected", WikiErrorKind.Protected)]
    [InlineData("blocked", WikiErrorKind.Blocked)]
    [InlineData("autoblocked", WikiErrorKind.Blocked)]
    [InlineData("spamblacklist", WikiErrorKind.SpamBlacklist)]
    [InlineData("spamprotectionmatch", WikiErrorKind.SpamBlacklist)]
    [InlineData("spamdetected", WikiErrorKind.SpamBlacklist)]
    [InlineData("abusefilter-disallowed", WikiErrorKind.AbuseFilter)]
    [InlineData("abusefilter-warning", WikiErrorKind.AbuseFilter)]
    [InlineData("contenttoobig", WikiErrorKind.ContentTooBig)]
    [InlineData("missingtitle", WikiErrorKind.EditConflict)]
    [InlineData("articleexists", WikiErrorKind.EditConflict)]
    [InlineData("permissiondenied", WikiErrorKind.PermissionDenied)]
    [InlineData("somethingnew", WikiErrorKind.Refused)]
    public async Task Each_refusal_is_a_typed_error_naming_the_page_and_is_not_retried(string code, WikiErrorKind expected)
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error(code, "the wiki's own words"));
        using var site = TestSites.Create(wiki);

        var error = await Should.ThrowAsync<WikiApiException>(() => site.EditAsync(TestSites.Edit("Nova Resource:Bots"), CancellationToken.None));

        error.Kind.ShouldBe(expected);
        error.Code.ShouldBe(code);
        error.IsTransient.ShouldBeFalse();
        error.Message.ShouldContain("\"Nova Resource:Bots\"");
        wiki.Edits.Count().ShouldBe(1);
    }

    [Fact]
    public async Task An_edit_conflict_carries_the_title()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error("editconflict", "Edit conflict."));
        using var site = TestSites.Create(wiki);

        var error = await Should.ThrowAsync<WikiApiException>(() => site.EditAsync(TestSites.Edit("P"), CancellationToken.None));

        error.Kind.ShouldBe(WikiErrorKind.EditConflict);

        error.Title.ShouldBe("P");
    }
}
