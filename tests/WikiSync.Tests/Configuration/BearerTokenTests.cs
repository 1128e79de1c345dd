using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WikiSync.AdminLog;
using WikiSync.Configuration;
using WikiSync.Hosting;

namespace WikiSync.Tests.Configuration;

public sealed class BearerTokenTests
{
    private const string Token = "s3cret-token";

    [Theory]
    [InlineData("Bearer s3cret-token", true)]
    [InlineData("bearer s3cret-token", true)]
    [InlineData("Bearer  s3cret-token ", true)]
    [InlineData("Bearer wrong", false)]
    [InlineData("Bearer s3cret-token-and-more", false)]
    [InlineData("Bearer s3cret", false)]
    [InlineData("Basic s3cret-token", false)]
    [InlineData("s3cret-token", false)]
    [InlineData("", false)]
    public void The_header_matches_only_the_configured_token(string header, bool expected) =>
        BearerToken.Matches(header, Token).ShouldBe(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Nothing_matches_when_no_token_is_configured(string? token)
    {
        BearerToken.Matches("Bearer ", token).ShouldBeFalse();
        BearerToken.Matches("Bearer", token).ShouldBeFalse();
    }

    [Theory]
    [InlineData("Bearer s3cret-token")]
    [InlineData("bearer s3cret-token")]
    [InlineData("Bearer  s3cret-token ")]
    [InlineData("Bearer s3cret")]
    [InlineData("Bearer s3cret-token-and-more")]
    [InlineData("Basic s3cret-token")]
    public async Task The_status_page_guard_and_post_log_answer_every_header_alike(string header)
    {
        var guard = new RequestGuard(Token).BearerMatches(header);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        context.Request.Method = "POST";
        context.Request.Headers.Authorization = header;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("{}"));
        context.Response.Body = new MemoryStream();

        await LogHttpEndpoint.HandleAsync(context, Token);

        // Past the token POST /log answers 503 here (no SAL on this test node); a refused token is 401.
        (context.Response.StatusCode != (int)HttpStatusCode.Unauthorized).ShouldBe(guard);
        guard.ShouldBe(BearerToken.Matches(header, Token));
    }
}
