using System.Net;
using System.Security.Cryptography;
using System.Text;
using WikiSync.Configuration;

namespace WikiSync.Hosting;

/// <summary>
/// Who may press buttons on the HTTP port. A script presents the configured token
/// (<c>Authorization: Bearer …</c>); a browser on this machine presents the anti-forgery token the status
/// page embeds, which another site cannot read, from a loopback address and without a foreign Origin.
/// </summary>
public sealed class RequestGuard
{
    public RequestGuard(string? token, string? antiForgeryToken = null)
    {
        _token = string.IsNullOrEmpty(token) ? null : token;
        AntiForgeryToken = antiForgeryToken ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
    }

    private readonly string? _token;

    /// <summary>Made fresh for each process; never the configured token.</summary>
    public string AntiForgeryToken { get; }

    public bool HasToken => _token is not null;

    /// <summary><c>Bearer TOKEN</c> with the configured token; false when none is configured.</summary>
    public bool BearerMatches(string? authorization) => BearerToken.Matches(authorization, _token);

    /// <summary>Whether a state-changing request from the status page (or a script) may go ahead.</summary>
    public GuardDecision CheckStateChange(StateChangeRequest request)
    {
        if (BearerMatches(request.Authorization))
            return GuardDecision.Allow;
        if (request.RemoteAddress is null || !IPAddress.IsLoopback(request.RemoteAddress))
            return GuardDecision.Deny("only a loopback client or the bearer token may do this");
        if (request.SecFetchSite is { } site && site is not ("same-origin" or "none"))
            return GuardDecision.Deny($"cross-site request refused (Sec-Fetch-Site: {site})");
        if (request.Origin is { } origin && !IsLoopbackOrigin(origin, request.Host))
            return GuardDecision.Deny("cross-site request refused (Origin is not this page)");
        if (request.FormToken is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(request.FormToken), Encoding.UTF8.GetBytes(AntiForgeryToken)))
        {
            return GuardDecision.Deny("missing or wrong anti-forgery token: use the status page's button");
        }

        return GuardDecision.Allow;
    }

    private static bool IsLoopbackOrigin(string origin, string? host)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
            return false;
        var loopback = uri.IsLoopback;
        // Same origin: the page that posted was served by this very host:port.
        var sameHost = host is null || string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase);
        return loopback && sameHost;
    }
}

/// <summary>The parts of an HTTP request the guard looks at.</summary>
public sealed record StateChangeRequest(
    IPAddress? RemoteAddress,
    string? Authorization,
    string? Origin,
    string? SecFetchSite,
    string? Host,
    string? FormToken);

public sealed record GuardDecision(bool Allowed, string? Reason)
{
    public static GuardDecision Allow { get; } = new(true, null);

    public static GuardDecision Deny(string reason) => new(false, reason);
}
