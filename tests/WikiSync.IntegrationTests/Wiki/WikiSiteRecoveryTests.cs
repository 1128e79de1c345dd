using WikiSync.IntegrationTests.Support;
using WikiSync.Wiki;

namespace WikiSync.IntegrationTests.Wiki;

/// <summary>The client's own recoveries, provoked for real against the local wiki.</summary>
[Collection(WikiCollection.Name)]
public sealed class WikiSiteRecoveryTests(LocalWikiFixture wiki)
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task A_lost_session_is_restored_by_logging_in_again_and_the_edit_is_saved()
    {
        var title = LocalWikiFixture.UniqueTitle("Lost session");
        using var tamper = new TamperingHandler();
        using var bot = Create(tamper);
        var page = (await bot.ReadPagesAsync([title], None))[title];
        var loginsBefore = tamper.Logins;

        tamper.DropCookiesOnNextEdit = true;
        var result = await bot.EditAsync(new EditRequest(title, "saved after a new login", "test", page), None);

        result.Changed.ShouldBeTrue();
        (tamper.Logins - loginsBefore).ShouldBe(1);
        var history = await wiki.GetRevisionsAsync(title);
        history.Single().User.ShouldBe("WikiSyncBot");
    }

    [Fact]
    public async Task A_refused_token_is_fetched_again_and_the_edit_is_saved()
    {
        var title = LocalWikiFixture.UniqueTitle("Bad token");
        using var tamper = new TamperingHandler();
        using var bot = Create(tamper);
        var page = (await bot.ReadPagesAsync([title], None))[title];

        tamper.SpoilTokenOnNextEdit = true;
        var result = await bot.EditAsync(new EditRequest(title, "saved with a fresh token", "test", page), None);

        result.Changed.ShouldBeTrue();
        tamper.TokenFetches.ShouldBe(2);
        (await wiki.CountRevisionsAsync(title)).ShouldBe(1);
    }

    [Fact]
    public async Task An_edit_whose_answer_was_lost_is_retried_without_a_second_revision()
    {
        var title = LocalWikiFixture.UniqueTitle("Lost answer");
        var page = await wiki.SaveAsync(wiki.Bot, title, "before");
        using var tamper = new TamperingHandler();
        using var bot = Create(tamper);
        await bot.LoginAsync(None);

        tamper.LoseAnswerOfNextEdit = true;
        var result = await bot.EditAsync(new EditRequest(title, "after", "test", page), None);

        var history = await wiki.GetRevisionsAsync(title);
        history.Select(r => r.Text).ShouldBe(["before", "after"]);
        result.Changed.ShouldBeTrue();
        result.RevisionId.ShouldBe(history[^1].Id);
    }

    [Fact]
    public async Task The_bot_and_a_human_can_save_at_the_same_time()
    {
        var titles = Enumerable.Range(0, 6).Select(i => LocalWikiFixture.UniqueTitle($"Parallel {i}")).ToArray();

        await Task.WhenAll(titles.Select((t, i) => wiki.SaveAsync(i % 2 == 0 ? wiki.Bot : wiki.Editor, t, $"text {i}")));

        var pages = await wiki.Bot.ReadPagesAsync(titles, None);
        pages.Values.ShouldAllBe(p => p.Exists);
    }

    private WikiSite Create(HttpMessageHandler handler) => new(handler, new WikiSiteOptions
    {
        ApiUrl = wiki.Settings.ApiUrl,
        User = wiki.Settings.User,
        Password = wiki.Settings.Password,
        Contact = "WikiSync integration tests",
    });

    /// <summary>Passes requests to the real wiki, spoiling one edit's cookies or token when asked.</summary>
    private sealed class TamperingHandler() : DelegatingHandler(new SocketsHttpHandler { UseCookies = false })
    {
        private int _logins;
        private int _tokenFetches;

        public bool DropCookiesOnNextEdit { get; set; }

        public bool SpoilTokenOnNextEdit { get; set; }

        public bool LoseAnswerOfNextEdit { get; set; }

        public int Logins => _logins;

        public int TokenFetches => _tokenFetches;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            if (body.StartsWith("action=login&", StringComparison.Ordinal))
                Interlocked.Increment(ref _logins);
            if (body.Contains("meta=tokens", StringComparison.Ordinal) && body.Contains("type=csrf", StringComparison.Ordinal))
                Interlocked.Increment(ref _tokenFetches);
            if (body.StartsWith("action=edit&", StringComparison.Ordinal))
            {
                if (DropCookiesOnNextEdit)
                {
                    DropCookiesOnNextEdit = false;
                    request.Headers.Remove("Cookie");
                }
                if (SpoilTokenOnNextEdit)
                {
                    SpoilTokenOnNextEdit = false;
                    var spoiled = body[..(body.LastIndexOf("&token=", StringComparison.Ordinal) + 7)] + "0123abcd%2B%5C";
                    request.Content = new StringContent(spoiled, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
                }
            }
            var loseAnswer = LoseAnswerOfNextEdit && body.StartsWith("action=edit&", StringComparison.Ordinal);
            var response = await base.SendAsync(request, cancellationToken);
            if (loseAnswer)
            {
                LoseAnswerOfNextEdit = false;
                response.Dispose();
                throw new HttpRequestException("the answer was lost on the way back");
            }
            return response;
        }
    }
}
