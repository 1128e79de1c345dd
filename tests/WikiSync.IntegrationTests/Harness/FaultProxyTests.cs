using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Harness;

/// <summary>The fault proxy against an in-process echo server: fast, no wiki needed.</summary>
public sealed class FaultProxyTests : IAsyncLifetime
{
    private WebApplication _echo = null!;
    private FaultProxy _proxy = null!;
    private HttpClient _client = null!;
    private int _upstreamHits;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _echo = builder.Build();
        _echo.Run(async context =>
        {
            Interlocked.Increment(ref _upstreamHits);
            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
            context.Response.Headers.Append("Set-Cookie", "session=abc; path=/");
            await context.Response.WriteAsJsonAsync(new
            {
                method = context.Request.Method,
                cookie = context.Request.Headers.Cookie.ToString(),
                token = form?["token"].ToString() ?? "",
                text = form?["text"].ToString() ?? "",
                action = form?["action"].ToString() ?? context.Request.Query["action"].ToString(),
            });
        });
        await _echo.StartAsync();
        var address = _echo.Urls.First();
        _proxy = await FaultProxy.StartAsync(new Uri(address));
        _client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = _proxy.Address, Timeout = TimeSpan.FromSeconds(5) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _proxy.DisposeAsync();
        await _echo.DisposeAsync();
    }

    private Task<HttpResponseMessage> EditAsync(string token = "good+\\", string title = "P")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "w/api.php")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["action"] = "edit", ["title"] = title, ["text"] = "x", ["assert"] = "user", ["token"] = token,
            }),
        };
        request.Headers.Add("Cookie", "session=abc");
        return _client.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>())!;

    [Fact]
    public async Task Without_faults_it_forwards_everything_and_counts_by_action()
    {
        (await _client.GetAsync("w/api.php?action=query&meta=tokens")).EnsureSuccessStatusCode();
        var edit = await EditAsync();
        var echoed = await JsonAsync(edit);
        echoed.GetProperty("cookie").GetString().ShouldBe("session=abc");
        echoed.GetProperty("token").GetString().ShouldBe("good+\\");
        edit.Headers.GetValues("Set-Cookie").ShouldContain("session=abc; path=/");
        _proxy.Requests.ShouldBe(2);
        _proxy.RequestsByAction["query"].ShouldBe(1);
        _proxy.RequestsByAction["edit"].ShouldBe(1);
        _proxy.InjectedTotal.ShouldBe(0);
    }

    [Fact]
    public async Task Maxlag_has_the_api_shape_and_is_not_forwarded()
    {
        _proxy.Schedule(FaultKind.Maxlag);
        var response = await EditAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        response.Headers.GetValues("X-Database-Lag").Single().ShouldContain("lagged");
        var error = (await JsonAsync(response)).GetProperty("error");
        error.GetProperty("code").GetString().ShouldBe("maxlag");
        error.GetProperty("lag").GetInt32().ShouldBe(3);
        _upstreamHits.ShouldBe(0);
        _proxy.Injected[FaultKind.Maxlag].ShouldBe(1);
    }

    [Theory]
    [InlineData(FaultKind.RateLimited, "ratelimited")]
    [InlineData(FaultKind.ReadOnly, "readonly")]
    public async Task Api_errors_carry_their_code(FaultKind kind, string code)
    {
        _proxy.Schedule(kind);
        var error = (await JsonAsync(await EditAsync())).GetProperty("error");
        error.GetProperty("code").GetString().ShouldBe(code);
        _upstreamHits.ShouldBe(0);
    }

    [Theory]
    [InlineData(FaultKind.Http500, 500)]
    [InlineData(FaultKind.Http502, 502)]
    [InlineData(FaultKind.Http503, 503)]
    public async Task Http_errors_have_their_status(FaultKind kind, int status)
    {
        _proxy.Schedule(kind);
        ((int)(await EditAsync()).StatusCode).ShouldBe(status);
        _upstreamHits.ShouldBe(0);
    }

    [Fact]
    public async Task Drop_closes_the_connection_without_an_answer()
    {
        _proxy.Schedule(FaultKind.Drop);
        await Should.ThrowAsync<HttpRequestException>(() => EditAsync());
        _upstreamHits.ShouldBe(0);
    }

    [Fact]
    public async Task Slow_reaches_the_wiki_but_answers_after_the_client_gave_up()
    {
        _proxy.SlowDelay = TimeSpan.FromSeconds(3);
        _client.Timeout = TimeSpan.FromMilliseconds(500);
        _proxy.Schedule(FaultKind.Slow);
        await Should.ThrowAsync<TaskCanceledException>(() => EditAsync());
        _upstreamHits.ShouldBe(1);
    }

    [Fact]
    public async Task Lost_session_strips_the_cookie()
    {
        _proxy.Schedule(FaultKind.LostSession);
        (await JsonAsync(await EditAsync())).GetProperty("cookie").GetString().ShouldBe("");
        (await JsonAsync(await EditAsync())).GetProperty("cookie").GetString().ShouldBe("session=abc");
    }

    [Fact]
    public async Task Bad_token_rewrites_the_urlencoded_token_and_keeps_the_rest()
    {
        _proxy.Schedule(FaultKind.BadToken);
        var echoed = await JsonAsync(await EditAsync());
        echoed.GetProperty("token").GetString().ShouldNotBe("good+\\");
        echoed.GetProperty("text").GetString().ShouldBe("x");
    }

    [Fact]
    public async Task Bad_token_rewrites_a_multipart_token_and_keeps_the_rest()
    {
        _proxy.Schedule(FaultKind.BadToken);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("edit"), "action" },
            { new StringContent("ünïcode text\r\nline 2"), "text" },
            { new StringContent("good+\\"), "token" },
        };
        var echoed = await JsonAsync(await _client.PostAsync("w/api.php", form));
        echoed.GetProperty("token").GetString().ShouldNotBe("good+\\");
        echoed.GetProperty("text").GetString().ShouldBe("ünïcode text\r\nline 2");
        _proxy.Injected[FaultKind.BadToken].ShouldBe(1);
    }

    [Fact]
    public async Task Reads_are_not_eligible_by_default_and_faults_go_in_schedule_order()
    {
        _proxy.Schedule(FaultKind.ReadOnly, FaultKind.RateLimited);
        (await _client.GetAsync("w/api.php?action=query")).EnsureSuccessStatusCode();
        (await JsonAsync(await EditAsync())).GetProperty("error").GetProperty("code").GetString().ShouldBe("readonly");
        (await JsonAsync(await EditAsync())).GetProperty("error").GetProperty("code").GetString().ShouldBe("ratelimited");
        (await JsonAsync(await EditAsync())).TryGetProperty("error", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_successful_retry_of_the_same_title_counts_as_recovered()
    {
        _proxy.Schedule(FaultKind.Maxlag, FaultKind.Http503);
        await EditAsync(title: "A");
        await EditAsync(title: "B");
        _proxy.Unrecovered.ShouldBe(2);
        await EditAsync(title: "A");
        _proxy.Recovered[FaultKind.Maxlag].ShouldBe(1);
        _proxy.Recovered.ContainsKey(FaultKind.Http503).ShouldBeFalse();
        _proxy.Unrecovered.ShouldBe(1);
    }

    [Fact]
    public async Task Random_faults_are_reproducible_by_seed()
    {
        async Task<string> RunAsync()
        {
            _proxy.ResetCounters();
            _proxy.InjectRandomly(0.5, seed: 42, [FaultKind.Maxlag, FaultKind.ReadOnly, FaultKind.Http500]);
            var codes = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                var response = await EditAsync();
                codes.Add(response.IsSuccessStatusCode
                    ? (await JsonAsync(response)).TryGetProperty("error", out var e) ? e.GetProperty("code").GetString()! : "ok"
                    : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            return string.Join(",", codes);
        }

        var first = await RunAsync();
        var second = await RunAsync();
        second.ShouldBe(first);
        first.ShouldContain("ok");
        _proxy.InjectedTotal.ShouldBeInRange(3, 17);
    }
}
