using System.Text;
using WikiSync.Redaction;

namespace WikiSync.Wiki;

/// <summary>
/// Where the wiki is and how to talk to it. <see cref="User"/> is a bot-password login name
/// ("Account@BotName", from the wiki's Special:BotPasswords); a main-account password is refused.
/// </summary>
public sealed record WikiSiteOptions
{
    /// <summary>The Action API endpoint, e.g. https://wiki.example.org/w/api.php.</summary>
    public required Uri ApiUrl { get; init; }

    /// <summary>"Account@BotName"; empty for anonymous reads (no edits possible then).</summary>
    public string User { get; init; } = "";

    public string Password { get; init; } = "";

    /// <summary>Put in the User-Agent so the wiki's operators can reach whoever runs this bot.</summary>
    public string Contact { get; init; } = "";

    /// <summary>The <see cref="RequestTimeout"/> when the configuration gives none.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>One HTTP request, from sending to the last byte of the answer.</summary>
    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>How often one call is tried again after maxlag, ratelimited, readonly, HTTP 5xx or a timeout.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first wait between tries; it doubles each time, or is the server's Retry-After when longer.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>No single wait is longer than this, whatever Retry-After says.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The maxlag parameter: the wiki refuses (and we wait) while its replicas lag more seconds than this.</summary>
    public int MaxLag { get; init; } = 5;

    /// <summary>Told the code of each failed request that is tried again (maxlag, ratelimited, ...), for metrics.</summary>
    public Action<string>? OnRetry { get; init; }

    // A record prints every property; the password must not reach a log line that way.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ApiUrl = ").Append(Redact.Url(ApiUrl)).Append(", User = ").Append(User)
            .Append(", Password = ").Append(Password.Length > 0 ? "(set)" : "(empty)")
            .Append(", Contact = ").Append(Contact)
            .Append(", RequestTimeout = ").Append(RequestTimeout)
            .Append(", MaxRetries = ").Append(MaxRetries)
            .Append(", RetryBaseDelay = ").Append(RetryBaseDelay)
            .Append(", MaxRetryDelay = ").Append(MaxRetryDelay)
            .Append(", MaxLag = ").Append(MaxLag);
        return true;
    }
}
