using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WikiSync.AdminLog;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.AdminLog;

public sealed class LogHttpEndpointTests : IDisposable
{
    private const string Token = "test-token-123";
    private readonly TempSalStore _db = new();
    private readonly RecordingSignal _signal = new();

    public void Dispose() => _db.Dispose();

    private async Task<(int Status, JsonElement Body)> PostAsync(string? authorization, string json, string? contentType = null)
    {
        var services = new ServiceCollection().AddSingleton(SalTestData.Intake(_db.Entries, _signal)).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        var response = new MemoryStream();
        context.Response.Body = response;
        await LogHttpEndpoint.HandleAsync(context, Token);
        return (context.Response.StatusCode, JsonDocument.Parse(response.ToArray()).RootElement);
    }

    [Fact]
    public async Task Post_with_token_logs_and_answers_like_irc()
    {
        var (status, body) = await PostAsync($"Bearer {Token}", """{"project":"tools","message":"deployed","author":"ci"}""");
        status.ShouldBe(200);
        body.GetProperty("reply").GetString().ShouldBe("Logged the message at http://wiki.test/index.php?title=Nova_Resource:tools/SAL, ci");
        (await _db.Entries.ListAsync("tools", null, CancellationToken.None)).ShouldHaveSingleItem().Channel.ShouldBe("http");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    [InlineData("Basic dGVzdA==")]
    public async Task Post_without_the_right_token_is_refused_and_nothing_stored(string? authorization)
    {
        var (status, body) = await PostAsync(authorization, """{"project":"tools","message":"x"}""");
        status.ShouldBe(401);
        body.GetProperty("reply").GetString()!.ShouldNotContain(Token);
        _signal.Stored.ShouldBeEmpty();
    }

    [Fact]
    public async Task Unknown_project_is_404_with_the_irc_reply()
    {
        var (status, body) = await PostAsync($"Bearer {Token}", """{"project":"nope","message":"x"}""");
        status.ShouldBe(404);
        body.GetProperty("reply").GetString().ShouldBe("Unknown project \"nope\"");
    }

    [Fact]
    public async Task Same_id_twice_stores_once()
    {
        await PostAsync($"Bearer {Token}", """{"project":"tools","message":"x","id":"abc"}""");
        await PostAsync($"Bearer {Token}", """{"project":"tools","message":"x","id":"abc"}""");
        (await _db.Entries.ListAsync("tools", null, CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Node_without_the_sal_answers_503_but_only_to_a_caller_with_the_token()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("{}"));
        context.Response.Body = new MemoryStream();
        await LogHttpEndpoint.HandleAsync(context, Token);
        context.Response.StatusCode.ShouldBe(401);

        context = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        context.Request.Headers.Authorization = $"Bearer {Token}";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("{}"));
        context.Response.Body = new MemoryStream();
        await LogHttpEndpoint.HandleAsync(context, Token);
        context.Response.StatusCode.ShouldBe(503);
    }

    [Fact]
    public async Task Form_body_is_accepted_too()
    {
        var (status, _) = await PostAsync($"Bearer {Token}", "project=tools&message=from+a+form&author=ops", "application/x-www-form-urlencoded");
        status.ShouldBe(200);
        (await _db.Entries.ListAsync("tools", null, CancellationToken.None)).ShouldHaveSingleItem().Message.ShouldBe("from a form");
    }

    [Fact]
    public async Task Malformed_body_is_400()
    {
        var (status, _) = await PostAsync($"Bearer {Token}", "{not json");
        status.ShouldBe(400);
    }
}
