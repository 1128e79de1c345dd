
namespace WikiSync.Wiki;

// The refusals a sync run can meet, one type each so callers can decide per kind (skip the page, wait, stop).
// Messages name the page and say what a person can do; they never hold a password or a token.

/// <summary>Waiting and trying again can help. <see cref="RetryAfter"/> is the server's hint, if it gave one.</summary>
public class WikiTransientException : WikiApiException
{
    public WikiTransientException(string code, string message, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(code, message, inner!) => RetryAfter = retryAfter;

    public WikiTransientException() : this("unavailable", "The wiki did not answer; try again later.") { }

    public WikiTransientException(string message) : this("unavailable", message) { }

    public WikiTransientException(string message, Exception inner) : this("unavailable", message, null, inner) { }

    public TimeSpan? RetryAfter { get; }

    public override bool IsTransient => true;
}

/// <summary>The wiki's database replicas lag more than our maxlag; the wiki asks bots to wait.</summary>
public sealed class MaxLagException : WikiTransientException
{
    public MaxLagException(string info, TimeSpan? retryAfter)
        : base("maxlag", $"The wiki is busy (replication lag: {info}); it asks bots to wait and try again.", retryAfter) { }

    public MaxLagException() : this("unknown", (TimeSpan?)null) { }

    public MaxLagException(string message, Exception inner) : base("maxlag", message, null, inner) { }
}

/// <summary>The account made too many requests or edits in a short time.</summary>
public sealed class RateLimitedException : WikiTransientException
{
    public RateLimitedException(string info, TimeSpan? retryAfter)
        : base("ratelimited", $"The wiki rate-limited WikiSync's account ({info}). Give the account the noratelimit right (the bot group has it) or slow the schedule.", retryAfter) { }

    public RateLimitedException() : this("too many edits", (TimeSpan?)null) { }

    public RateLimitedException(string message, Exception inner) : base("ratelimited", message, null, inner) { }
}

/// <summary>The wiki is in read-only mode (maintenance); edits wait until it is writable again.</summary>
public sealed class ReadOnlyException : WikiTransientException
{
    public ReadOnlyException(string info, TimeSpan? retryAfter)
        : base("readonly", $"The wiki is read-only for now ({info}); WikiSync will try again later.", retryAfter) { }

    public ReadOnlyException() : this("no reason given", (TimeSpan?)null) { }

    public ReadOnlyException(string message, Exception inner) : base("readonly", message, null, inner) { }
}

/// <summary>No usable answer: HTTP 5xx, a timeout, a dropped connection or something that is not the API's JSON.</summary>
public sealed class WikiUnavailableException : WikiTransientException
{
    public WikiUnavailableException(string code, string message, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(code, message, retryAfter, inner) { }

    public WikiUnavailableException() : this("unavailable", "The wiki did not answer.") { }

    public WikiUnavailableException(string message) : this("unavailable", message) { }

    public WikiUnavailableException(string message, Exception inner) : this("unavailable", message, null, inner) { }
}

/// <summary>The page is protected against edits by WikiSync's account.</summary>
public sealed class ProtectedPageException : WikiApiException
{
    public ProtectedPageException(string title, string code, string info)
        : base(code, $"\"{title}\" is protected and WikiSync's account may not edit it ({info}). Ask an administrator to lower the protection or to give the account the right to edit it.") => Title = title;

    public ProtectedPageException() : this("", "protectedpage", "protected") { }

    public ProtectedPageException(string message, Exception inner) : base("protectedpage", message, inner) => Title = "";

    public string Title { get; }
}

/// <summary>WikiSync's account (or its IP address) is blocked from editing.</summary>
public sealed class BlockedException : WikiApiException
{
    public BlockedException(string title, string code, string info)
        : base(code, $"WikiSync's account is blocked from editing, so \"{title}\" was not saved ({info}). An administrator of the wiki has to lift the block.") => Title = title;

    public BlockedException() : this("", "blocked", "blocked") { }

    public BlockedException(string message, Exception inner) : base("blocked", message, inner) => Title = "";

    public string Title { get; }
}

/// <summary>The text holds a link to a site on the wiki's spam blacklist.</summary>
public sealed class SpamBlacklistException : WikiApiException
{
    public SpamBlacklistException(string title, string info)
        : base("spamblacklist", $"The wiki refused the edit of \"{title}\" because the text links to a blacklisted site ({info}). Remove that link from the source data or ask the wiki's administrators to allow it.") => Title = title;

    public SpamBlacklistException() : this("", "blacklisted link") { }

    public SpamBlacklistException(string message, Exception inner) : base("spamblacklist", message, inner) => Title = "";

    public string Title { get; }
}

/// <summary>An AbuseFilter rule of the wiki stopped the edit (codes abusefilter-*).</summary>
public sealed class AbuseFilterException : WikiApiException
{
    public AbuseFilterException(string title, string code, string info)
        : base(code, $"An abuse filter of the wiki refused the edit of \"{title}\" ({info}). Ask the wiki's administrators to exempt WikiSync's account or change the filter.") => Title = title;

    public AbuseFilterException() : this("", "abusefilter-disallowed", "disallowed") { }

    public AbuseFilterException(string message, Exception inner) : base("abusefilter-disallowed", message, inner) => Title = "";

    public string Title { get; }
}

/// <summary>The new text is larger than the wiki's $wgMaxArticleSize.</summary>
public sealed class ContentTooBigException : WikiApiException
{
    public ContentTooBigException(string title, string info)
        : base("contenttoobig", $"The new text of \"{title}\" is larger than the wiki allows ({info}). Make the generated sections smaller, e.g. move old entries to archive pages.") => Title = title;

    public ContentTooBigException() : this("", "too big") { }

    public ContentTooBigException(string message, Exception inner) : base("contenttoobig", message, inner) => Title = "";

    public string Title { get; }
}

/// <summary>The page existed when it was read but was deleted before the edit.</summary>
public sealed class MissingTitleException : WikiApiException
{
    public MissingTitleException(string title)
        : base("missingtitle", $"\"{title}\" does not exist (it may have been deleted after WikiSync read it); WikiSync did not create it again.") => Title = title;

    public MissingTitleException() : this("") { }

    public MissingTitleException(string message, Exception inner) : base("missingtitle", message, inner) => Title = "";

    public string Title { get; }
}

/// <summary>The page did not exist when it was read but someone created it before our create.</summary>
public sealed class ArticleExistsException : WikiApiException
{
    public ArticleExistsException(string title)
        : base("articleexists", $"\"{title}\" was created by someone else after WikiSync found it missing; WikiSync did not overwrite it. Read it again and retry.") => Title = title;

    public ArticleExistsException() : this("") { }

    public ArticleExistsException(string message, Exception inner) : base("articleexists", message, inner) => Title = "";

    public string Title { get; }
}

/// <summary>One or more titles are not valid page titles (bad characters, empty, a special page).</summary>
public sealed class InvalidTitleException : WikiApiException
{
    public InvalidTitleException(IReadOnlyDictionary<string, string> reasons, IReadOnlyDictionary<string, WikiPage>? validPages = null)
        : base("invalidtitle", "Not a valid page title: " + string.Join("; ", reasons.Select(r => $"\"{r.Key}\" ({r.Value})")))
    {
        Reasons = reasons;
        ValidPages = validPages ?? new Dictionary<string, WikiPage>();
    }

    public InvalidTitleException() : this(new Dictionary<string, string>()) { }

    public InvalidTitleException(string message, Exception inner) : base("invalidtitle", message, inner)
    {
        Reasons = new Dictionary<string, string>();
        ValidPages = new Dictionary<string, WikiPage>();
    }

    /// <summary>Each invalid title as asked, with the wiki's reason.</summary>
    public IReadOnlyDictionary<string, string> Reasons { get; }

    /// <summary>The pages of the same read whose titles were valid, so a caller can go on with those.</summary>
    public IReadOnlyDictionary<string, WikiPage> ValidPages { get; }
}

/// <summary>Logging in failed: a wrong bot password, a main-account password, or no account configured.</summary>
public sealed class WikiLoginException : WikiApiException
{
    public WikiLoginException(string code, string message) : base(code, message) { }

    public WikiLoginException() : this("loginfailed", "Logging in to the wiki failed.") { }

    public WikiLoginException(string message, Exception inner) : base("loginfailed", message, inner) { }
}
