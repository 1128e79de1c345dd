using System.Net;
using Microsoft.Extensions.Time.Testing;
using WikiSync.Tests.Support;
using WikiSync.Wiki;

namespace WikiSync.Tests.Wiki;

public sealed class WikiSiteRetryTests
{
    [Theory]
    [InlineData("maxlag", WikiErrorKind.MaxLag)]
    [InlineData("ratelimited", WikiErrorKind.RateLimited)]
    [InlineData("readonly", WikiErrorKind.ReadOnly)]
    public async Task Transient_refusals_are_retried_then_succeed(string code, WikiErrorKind _)
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error(code, "busy"), times: 2);
        wiki.On(r => r.IsEdit, r => FakeWikiHandler.EditSuccess(r["title"]!));
        var time = new ImmediateTimeProvider();
        using var site = TestSites.Create(wiki, time);

        var result = await site.EditAsync(TestSites.Edit("P"), CancellationToken.None);

        result.Changed.ShouldBeTrue();
        wiki.Edits.Count().ShouldBe(3);
        time.Waits.ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)]);
    }

    [Theory]
    [InlineData("maxlag", WikiErrorKind.MaxLag)]
    [InlineData("ratelimited", WikiErrorKind.RateLimited)]
    [InlineData("readonly", WikiErrorKind.ReadOnly)]
    public async Task Transient_refusals_give_up_after_the_retry_bound_with_a_typed_error(string code, WikiErrorKind expected)
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error(code, "busy"));
        var time = new ImmediateTimeProvider();
        using var site = TestSites.Create(wiki, time, maxRetries: 3);

        var error = await Should.ThrowAsync<WikiApiException>(() => site.EditAsync(TestSites.Edit("P"), CancellationToken.None));

        error.Kind.ShouldBe(expected);
        error.IsTransient.ShouldBeTrue();
        wiki.Edits.Count().ShouldBe(4);
        time.Waits.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Retry_after_is_honoured_when_longer_than_the_backoff()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error("maxlag", "Waiting for db: 7 seconds lagged.", TimeSpan.FromSeconds(7)), times: 1);
        wiki.On(r => r.IsEdit, r => FakeWikiHandler.EditSuccess(r["title"]!));
        var time = new ImmediateTimeProvider();
        using var site = TestSites.Create(wiki, time);

        await site.EditAsync(TestSites.Edit("P"), CancellationToken.None);

        time.Waits.ShouldBe([TimeSpan.FromSeconds(7)]);
    }

    [Fact]
    public async Task Retry_after_on_http_503_is_honoured_and_bounded_by_the_longest_wait()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsQueryOf("revisions"), _ => WithRetryAfter(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable), TimeSpan.FromSeconds(30)), times: 1);
        wiki.On(r => r.IsQueryOf("revisions"), _ => WithRetryAfter(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable), TimeSpan.FromHours(2)), times: 1);
        wiki.On(r => r.IsQueryOf("revisions"), r => FakeWikiHandler.Pages(r));
        var time = new ImmediateTimeProvider();
        using var site = TestSites.Create(wiki, time);

        await site.ReadPagesAsync(["A"], CancellationToken.None);

        time.Waits.ShouldBe([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)]);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Server_errors_are_retried_a_bounded_number_of_times(HttpStatusCode status)
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsQueryOf("revisions"), _ => new HttpResponseMessage(status));
        using var site = TestSites.Create(wiki, maxRetries: 2);

        var error = await Should.ThrowAsync<WikiApiException>(() => site.ReadPagesAsync(["A"], CancellationToken.None));

        error.Kind.ShouldBe(WikiErrorKind.Unavailable);

        error.Code.ShouldBe($"http{(int)status}");
        error.Message.ShouldContain($"HTTP {(int)status}");
        wiki.Reads.Count().ShouldBe(3);
    }

    [Fact]
    public Task A_dropped_connection_is_retried() =>
        ReadSucceedsOnTheSecondTryAfterAsync(_ => throw new HttpRequestException("connection reset"));

    [Fact]
    public Task A_connection_that_breaks_while_the_answer_is_read_is_retried() =>
        ReadSucceedsOnTheSecondTryAfterAsync(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BreakingStream()) });

    /// <summary>The first read gets <paramref name="firstAnswer"/>; the retry reads the page.</summary>
    private static async Task ReadSucceedsOnTheSecondTryAfterAsync(Func<FakeApiRequest, HttpResponseMessage> firstAnswer)
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsQueryOf("revisions"), firstAnswer, times: 1);
        wiki.On(r => r.IsQueryOf("revisions"), r => FakeWikiHandler.Pages(r));
        using var site = TestSites.Create(wiki);

        var pages = await site.ReadPagesAsync(["A"], CancellationToken.None);

        pages["A"].Exists.ShouldBeTrue();
        wiki.Reads.Count().ShouldBe(2);
    }

    [Fact]
    public async Task An_answer_that_is_not_json_is_retried_then_reported()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsQueryOf("revisions"), _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>oops</html>") });
        using var site = TestSites.Create(wiki, maxRetries: 1);

        var error = await Should.ThrowAsync<WikiApiException>(() => site.ReadPagesAsync(["A"], CancellationToken.None));

        error.Kind.ShouldBe(WikiErrorKind.Unavailable);

        error.Code.ShouldBe("badresponse");
        error.Message.ShouldContain("api.php");
    }

    [Fact]
    public async Task A_request_past_the_timeout_is_abandoned_and_retried()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero));
        var hung = new TaskCompletionSource();
        var wiki = new FakeWikiHandler();
        wiki.OnAsync(r => r.IsQueryOf("revisions"), async (_, cancellationToken) =>
        {
            hung.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }, times: 1);
        wiki.On(r => r.IsQueryOf("revisions"), r => FakeWikiHandler.Pages(r));
        using var site = TestSites.Create(wiki, time, requestTimeout: TimeSpan.FromSeconds(10));

        var read = site.ReadPagesAsync(["A"], CancellationToken.None);
        await hung.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 2000 && !read.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        (await read)["A"].Exists.ShouldBeTrue();
        wiki.Reads.Count().ShouldBe(2);
    }

    [Fact]
    public async Task Cancelling_stops_at_once_without_retrying()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error("maxlag", "busy", TimeSpan.FromSeconds(5)));
        var time = new FakeTimeProvider();
        using var site = TestSites.Create(wiki, time);
        using var cancel = new CancellationTokenSource();

        var edit = site.EditAsync(TestSites.Edit("P"), cancel.Token);
        for (var i = 0; i < 1000 && !wiki.Edits.Any(); i++)
            await Task.Delay(1);
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => edit);
        wiki.Edits.Count().ShouldBe(1);
    }

    [Fact]
    public async Task Each_retry_is_told_its_reason_for_the_metrics()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error("maxlag", "busy"), times: 1);
        wiki.On(r => r.IsEdit, _ => new HttpResponseMessage(HttpStatusCode.BadGateway), times: 1);
        wiki.On(r => r.IsEdit, r => FakeWikiHandler.EditSuccess(r["title"]!));
        var reasons = new List<string>();
        var time = new ImmediateTimeProvider();
        using var site = new WikiSite(wiki, new WikiSiteOptions
        {
            ApiUrl = TestSites.Api,
            User = "WikiSyncBot@wikisync",
            Password = wiki.Password,
            OnRetry = reasons.Add,
            RequestTimeout = TimeSpan.FromHours(1),
        }, null, time);

        await site.EditAsync(TestSites.Edit("P"), CancellationToken.None);

        reasons.ShouldBe(["maxlag", "http502"]);
        time.Waits.ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)]);
    }

    [Fact]
    public async Task No_retries_configured_means_one_try()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsEdit, _ => FakeWikiHandler.Error("readonly", "maintenance"));
        var time = new ImmediateTimeProvider();
        using var site = TestSites.Create(wiki, time, maxRetries: 0);

        (await Should.ThrowAsync<WikiApiException>(() => site.EditAsync(TestSites.Edit("P"), CancellationToken.None))).Kind.ShouldBe(WikiErrorKind.ReadOnly);

        wiki.Edits.Count().ShouldBe(1);
        time.Waits.ShouldBeEmpty();
    }

    private sealed class BreakingStream : MemoryStream
    {
        public BreakingStream() : base("{\"query\":"u8.ToArray()) { }

        public override int Read(byte[] buffer, int offset, int count) =>
            Position < Length ? base.Read(buffer, offset, count) : throw new IOException("connection reset");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("connection reset");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Position < Length ? base.ReadAsync(buffer, offset, count, cancellationToken) : throw new IOException("connection reset");
    }

    private static HttpResponseMessage WithRetryAfter(HttpResponseMessage response, TimeSpan wait)
    {
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        return response;
    }
}
