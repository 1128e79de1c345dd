using System.Net;
using WikiSync.Hosting;

namespace WikiSync.Tests.Hosting;

public sealed class RequestGuardTests
{
    private const string Csrf = "0123456789abcdef";
    private static readonly IPAddress Loopback = IPAddress.Loopback;
    private static readonly IPAddress Remote = IPAddress.Parse("192.0.2.7");

    private static RequestGuard Guard(string? token = "s3cret-token") => new(token, Csrf);

    private static StateChangeRequest Browser(
        IPAddress? remote = null, string? origin = "http://127.0.0.1:8194", string? fetchSite = "same-origin", string? csrf = Csrf, string? auth = null) =>
        new(remote ?? Loopback, auth, origin, fetchSite, "127.0.0.1:8194", csrf);

    [Fact]
    public void The_bearer_token_is_enough_from_anywhere() =>
        Guard().CheckStateChange(new StateChangeRequest(Remote, "Bearer s3cret-token", "https://evil.example", "cross-site", "x", null)).Allowed.ShouldBeTrue();

    [Theory]
    [InlineData("Bearer wrong")]
    [InlineData("Basic s3cret-token")]
    [InlineData("Bearer s3cret-token-and-more")]
    [InlineData("")]
    public void A_wrong_bearer_is_not_the_token(string header) => Guard().BearerMatches(header).ShouldBeFalse();

    [Fact]
    public void No_bearer_matches_when_no_token_is_configured()
    {
        Guard(null).HasToken.ShouldBeFalse();
        Guard(null).BearerMatches("Bearer ").ShouldBeFalse();
    }

    [Fact]
    public void The_status_page_button_works_from_a_loopback_browser() =>
        Guard().CheckStateChange(Browser()).Allowed.ShouldBeTrue();

    [Fact]
    public void A_browser_that_sends_no_fetch_metadata_still_passes_with_the_form_token() =>
        Guard().CheckStateChange(Browser(origin: null, fetchSite: null)).Allowed.ShouldBeTrue();

    [Fact]
    public void A_cross_site_form_post_is_refused_even_with_a_guessed_token()
    {
        var decision = Guard().CheckStateChange(Browser(origin: "https://evil.example", fetchSite: "cross-site"));
        decision.Allowed.ShouldBeFalse();
        decision.Reason!.ShouldContain("cross-site");
    }

    [Fact]
    public void A_foreign_origin_is_refused_when_fetch_metadata_is_missing() =>
        Guard().CheckStateChange(Browser(origin: "http://evil.example", fetchSite: null)).Allowed.ShouldBeFalse();

    [Fact]
    public void Another_loopback_port_is_another_origin() =>
        Guard().CheckStateChange(Browser(origin: "http://127.0.0.1:9999", fetchSite: null)).Allowed.ShouldBeFalse();

    [Fact]
    public void A_post_without_the_anti_forgery_token_is_refused() =>
        Guard().CheckStateChange(Browser(csrf: null)).Reason!.ShouldContain("anti-forgery");

    [Fact]
    public void A_post_with_a_wrong_anti_forgery_token_is_refused() =>
        Guard().CheckStateChange(Browser(csrf: "not-it")).Allowed.ShouldBeFalse();

    [Fact]
    public void A_remote_client_without_the_token_is_refused_even_with_the_form_token() =>
        Guard().CheckStateChange(Browser(remote: Remote)).Reason!.ShouldContain("loopback");

    [Fact]
    public void The_anti_forgery_token_is_random_per_process_and_never_the_configured_token()
    {
        var a = new RequestGuard("tok");
        var b = new RequestGuard("tok");
        a.AntiForgeryToken.ShouldNotBe(b.AntiForgeryToken);
        a.AntiForgeryToken.ShouldNotContain("tok");
        a.AntiForgeryToken.Length.ShouldBe(64);
    }
}
