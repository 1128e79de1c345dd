using WikiSync.Redaction;

namespace WikiSync.Wiki;

/// <summary>The wiki's other entry points, found from the one URL the configuration gives (api.php).</summary>
public static class WikiUrls
{
    private const string Api = "api.php";

    /// <summary>
    /// index.php beside api.php (<c>https://wiki.example.org/w/api.php</c> → <c>…/w/index.php</c>), for links to
    /// pages and diffs; null when <paramref name="apiUrl"/> is not set or does not end in api.php. These links
    /// go to people (IRC replies, the status page), so never with the bot's user info in them.
    /// </summary>
    public static string? IndexPhp(string? apiUrl) =>
        apiUrl is { Length: > 0 } api && api.EndsWith(Api, StringComparison.Ordinal)
            ? Redact.WithoutUserInfo(api[..^Api.Length] + "index.php")
            : null;
}
