using System.Text.RegularExpressions;

namespace WikiSync.Redaction;

/// <summary>
/// The one place that decides what of a secret-bearing value may be shown: URLs lose their user info
/// (<c>https://user:pass@host</c> is shown <c>https://***@host</c>), connection strings their password, and
/// any text (an exception's message) both. Every URL or connection string WikiSync prints (logs, CLI
/// output, exceptions, status page) goes through here first.
/// </summary>
public static partial class Redact
{
    /// <summary>What stands where user info or a password was.</summary>
    public const string Hidden = "***";

    /// <summary>The URL as it may be printed: any user info replaced by <see cref="Hidden"/>.</summary>
    public static string Url(Uri? url) =>
        url is null ? "" : !url.IsAbsoluteUri || url.UserInfo.Length == 0 ? url.ToString() : Text(url.ToString());

    /// <summary>The URL as it may be printed: any user info replaced by <see cref="Hidden"/>; not a URL, then as <see cref="Text"/>.</summary>
    public static string Url(string? url) =>
        string.IsNullOrEmpty(url) ? "" : Text(url);

    /// <summary>The URL without its user info, for a link others follow (an IRC reply, a page): nothing to hide, nothing to break.</summary>
    public static string WithoutUserInfo(string url) =>
        UserInfoInUrl().Replace(url, "${scheme}");

    /// <summary>A connection string as it may be printed: the values of password-like keys (and URL user info) hidden.</summary>
    public static string ConnectionString(string? connectionString) =>
        string.IsNullOrEmpty(connectionString) ? "" : Text(connectionString);

    /// <summary>
    /// Free text (an error message, a log line) as it may be printed: user info in any URL in it and the value of
    /// any <c>password=</c>/<c>pwd=</c> pair hidden.
    /// </summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? "";
        if (text.Contains('@', StringComparison.Ordinal))
            text = UserInfoInUrl().Replace(text, "${scheme}" + Hidden + "@");
        if (text.Contains('=', StringComparison.Ordinal))
            text = PasswordPair().Replace(text, "${key}" + Hidden);
        return text;
    }

    /// <summary>Whether a secret is set, never the secret: <c>(set)</c> or <c>(none)</c>.</summary>
    public static string Secret(string? secret) => string.IsNullOrEmpty(secret) ? "(none)" : "(set)";

    // scheme://userinfo@ where userinfo runs to the last '@' before the host (a password may hold '@' or ':').
    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.\-]*://)[^/?#\s""'<>]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoInUrl();

    // Password=..., pwd=..., up to the next ';' (connection strings) or white space / '&' (query strings).
    [GeneratedRegex(@"(?<key>\b(?:password|passwd|pwd)\s*=\s*)(?:""[^""]*""|'[^']*'|[^;&\s]*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPair();
}
