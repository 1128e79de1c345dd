using System.Net;
using WikiSync.Tests.Support;
using WikiSync.Wiki;

namespace WikiSync.Tests.Wiki;

public sealed class WikiSiteLoginTests
{
    [Fact]
    public async Task First_request_logs_in_with_the_bot_password_and_keeps_the_session_cookie()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsQueryOf("revisions"), r => FakeWikiHandler.Pages(r));
        using var site = TestSites.Create(wiki);

        await site.ReadPagesAsync(["Main Page"], CancellationToken.None);

        var requests = wiki.Requests;
        requests.Select(r => r.Action).ShouldBe(["query", "login", "query", "query"]);
        var login = requests[1];
        login["lgname"].ShouldBe("WikiSyncBot@wikisync");
        login["lgpassword"].ShouldBe(wiki.Password);
        login["lgtoken"].ShouldBe("login-token+\\");
        requests[3].Cookie.ShouldBe("wiki_session=logged-in");
        requests[3]["assert"].ShouldBe("user");
        requests[3]["maxlag"].ShouldBe("5");
        requests[3]["formatversion"].ShouldBe("2");
        wiki.Logins.ShouldBe(1);
    }

    [Fact]
    public async Task User_agent_names_WikiSync_its_version_and_the_contact()
    {
        var wiki = new FakeWikiHandler();
        using var site = TestSites.Create(wiki);

        await site.LoginAsync(CancellationToken.None);

        wiki.Requests[0].UserAgent!.ShouldMatch(@"^WikiSync/\d+\.\d+\.\d+ \(ops@example\.org\)$");
    }

    [Fact]
    public async Task Main_account_login_is_refused_with_advice_to_create_a_bot_password()
    {
        var wiki = new FakeWikiHandler
        {
            LoginAnswer = _ => FakeWikiHandler.Json("""
                {"warnings":[{"code":"deprecation","text":"Main-account login via \"action=login\" is deprecated and may stop working without warning. To continue login with \"action=login\", see [[Special:BotPasswords]].","data":{"feature":"main-account-login"},"module":"login"}],
                 "login":{"result":"Success","lguserid":4,"lgusername":"Editor"}}
                """),
        };
        using var site = TestSites.Create(wiki, user: "Editor@wikisync");

        var error = await Should.ThrowAsync<WikiApiException>(() => site.ReadPagesAsync(["A"], CancellationToken.None));

        error.Kind.ShouldBe(WikiErrorKind.Login);

        error.Code.ShouldBe("mainaccount");
        error.Message.ShouldContain("Special:BotPasswords");
        error.Message.ShouldContain("bot password");
        error.Message.ShouldNotContain(wiki.Password);
        wiki.Reads.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_user_name_without_bot_suffix_is_a_main_account_and_refused()
    {
        var wiki = new FakeWikiHandler();
        using var site = TestSites.Create(wiki, user: "WikiSyncBot");

        var error = await Should.ThrowAsync<WikiApiException>(() => site.LoginAsync(CancellationToken.None));

        error.Kind.ShouldBe(WikiErrorKind.Login);

        error.Code.ShouldBe("mainaccount");
    }

    [Fact]
    public async Task A_wrong_password_fails_with_the_wikis_reason_and_never_the_password()
    {
        var wiki = new FakeWikiHandler();
        using var site = new WikiSite(wiki, new WikiSiteOptions { ApiUrl = TestSites.Api, User = "WikiSyncBot@wikisync", Password = "wrongwrongwrongwrongwrongwrong12" });

        var error = await Should.ThrowAsync<WikiApiException>(() => site.LoginAsync(CancellationToken.None));

        error.Kind.ShouldBe(WikiErrorKind.Login);

        error.Code.ShouldBe("loginfailed");
        error.Message.ShouldContain("Incorrect username or password");
        error.Message.ShouldContain("WikiSyncBot@wikisync");
        error.Message.ShouldNotContain("wrongwrong");
    }

    [Fact]
    public async Task Apihighlimits_is_asked_once_and_raises_the_batch_to_500()
    {
        var wiki = new FakeWikiHandler();
        wiki.Rights.Add("apihighlimits");
        using var site = TestSites.Create(wiki);

        await site.LoginAsync(CancellationToken.None);

        site.BatchSize.ShouldBe(500);
        wiki.Requests.Count(r => r["meta"] == "userinfo").ShouldBe(1);
    }

    [Fact]
    public async Task A_first_recent_changes_query_carries_the_rights_question_so_a_quiet_pass_costs_three_requests()
    {
        var wiki = new FakeWikiHandler();
        wiki.Rights.Add("apihighlimits");
        wiki.On(r => r.Action == "query" && r["list"] == "recentchanges", r => FakeWikiHandler.Json(new
        {
            curtimestamp = "2026-12-03T06:00:00Z",
            query = r["meta"] == "userinfo"
                ? (object)new { recentchanges = Array.Empty<object>(), userinfo = new { id = 3, name = wiki.UserName, rights = wiki.Rights.ToArray() } }
                : new { recentchanges = Array.Empty<object>() },
        }));
        wiki.On(r => r.IsQueryOf("revisions"), r => FakeWikiHandler.Pages(r));
        using var site = TestSites.Create(wiki);

        var edits = await site.ReadRecentEditsAsync(DateTimeOffset.Parse("2026-12-03T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture), [], CancellationToken.None);
        await site.ReadPagesAsync(["Main Page", "Other"], CancellationToken.None);

        edits.ShouldNotBeNull();
        wiki.Requests.Take(3).Select(r => r.Action).ShouldBe(["query", "login", "query"]);
        wiki.Requests[2]["assert"].ShouldBe("user");
        site.BatchSize.ShouldBe(500);
        wiki.Requests.Count(r => r["meta"] == "userinfo").ShouldBe(1);
    }

    [Fact]
    public async Task A_batched_read_first_after_the_login_asks_the_rights_before_cutting_batches()
    {
        var wiki = new FakeWikiHandler();
        wiki.Rights.Add("apihighlimits");
        wiki.On(r => r.IsQueryOf("revisions"), r => FakeWikiHandler.Pages(r));
        using var site = TestSites.Create(wiki);

        await site.ReadPagesAsync([.. Enumerable.Range(0, 120).Select(i => $"Page {i}")], CancellationToken.None);

        wiki.Reads.Count().ShouldBe(1);
        site.BatchSize.ShouldBe(500);
    }

    [Fact]
    public async Task A_session_lost_right_after_the_login_is_logged_in_once_more()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.Action == "query" && r["meta"] == "userinfo",
            _ => FakeWikiHandler.Json(new { query = new { userinfo = new { id = 0, name = "127.0.0.1", anon = true } } }), times: 1);
        using var site = TestSites.Create(wiki);

        await site.LoginAsync(CancellationToken.None);

        wiki.Logins.ShouldBe(2);
    }

    [Fact]
    public async Task A_session_lost_twice_in_a_row_blames_the_cookie_settings()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.Action == "query" && r["meta"] == "userinfo",
            _ => FakeWikiHandler.Json(new { query = new { userinfo = new { id = 0, name = "127.0.0.1", anon = true } } }));
        using var site = TestSites.Create(wiki);

        var error = await Should.ThrowAsync<WikiApiException>(() => site.LoginAsync(CancellationToken.None));

        error.Kind.ShouldBe(WikiErrorKind.SessionLost);
        error.Message.ShouldContain("cookie");
        wiki.Logins.ShouldBe(2);
    }

    [Fact]
    public async Task Assertuserfailed_logs_in_again_once_and_repeats_the_edit()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error("assertuserfailed", "You are no longer logged in."), times: 1);
        wiki.On(r => r.IsEdit, r => FakeWikiHandler.EditSuccess(r["title"]!));
        using var site = TestSites.Create(wiki);

        var result = await site.EditAsync(TestSites.Edit("Page"), CancellationToken.None);

        result.Changed.ShouldBeTrue();
        wiki.Logins.ShouldBe(2);
        wiki.Edits.Count().ShouldBe(2);
        // A new session needs a new token.
        wiki.Edits.Last()["token"].ShouldBe(wiki.CurrentCsrfToken);
        wiki.CsrfFetches.ShouldBe(2);
    }

    [Fact]
    public async Task Assertuserfailed_twice_gives_up_with_a_login_error()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error("assertuserfailed", "You are no longer logged in."));
        using var site = TestSites.Create(wiki);

        var error = await Should.ThrowAsync<WikiApiException>(() => site.EditAsync(TestSites.Edit("Page"), CancellationToken.None));

        error.Kind.ShouldBe(WikiErrorKind.Login);

        error.Code.ShouldBe("assertuserfailed");
        wiki.Logins.ShouldBe(2);
        wiki.Edits.Count().ShouldBe(2);
    }

    [Fact]
    public async Task No_log_line_or_error_holds_the_password_or_a_token()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error("badtoken", "Invalid CSRF token."), times: 1);
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error("assertuserfailed", "You are no longer logged in."), times: 1);
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error("maxlag", "Waiting for a database server: 6 seconds lagged."), times: 1);
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error("protectedpage", "This page has been protected."));
        var log = new ListLogger<WikiSite>();
        using var site = TestSites.Create(wiki, logger: log);

        var error = await Should.ThrowAsync<WikiApiException>(() => site.EditAsync(TestSites.Edit("Page"), CancellationToken.None));

        error.Kind.ShouldBe(WikiErrorKind.Protected);

        var said = string.Join("\n", log.Lines.Append(error.ToString()));
        said.ShouldNotContain(wiki.Password);
        said.ShouldNotContain("csrf");
        said.ShouldNotContain("login-token");
        said.ShouldNotContain("wiki_session");
        log.Lines.ShouldContain(l => l.Contains("maxlag", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_never_print_the_password()
    {
        var options = new WikiSiteOptions { ApiUrl = TestSites.Api, User = "Bot@app", Password = "0123456789abcdefghijklmnopqrstuv" };

        options.ToString().ShouldNotContain("0123456789abcdef");
        options.ToString().ShouldContain("Bot@app");
    }

    [Fact]
    public async Task Writes_without_an_account_are_refused_before_any_request()
    {
        var wiki = new FakeWikiHandler();
        using var site = new WikiSite(wiki, new WikiSiteOptions { ApiUrl = TestSites.Api });

        var error = await Should.ThrowAsync<WikiApiException>(() => site.EditAsync(TestSites.Edit("Page"), CancellationToken.None));

        error.Kind.ShouldBe(WikiErrorKind.Login);

        error.Code.ShouldBe("nologin");
        wiki.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Request_count_includes_login_and_retries()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsQueryOf("revisions"), _ => new HttpResponseMessage(HttpStatusCode.BadGateway), times: 1);
        wiki.On(r => r.IsQueryOf("revisions"), r => FakeWikiHandler.Pages(r));
        using var site = TestSites.Create(wiki);

        await site.ReadPagesAsync(["A"], CancellationToken.None);

        site.RequestCount.ShouldBe(5);
        wiki.Requests.Count.ShouldBe(5);
    }
}
