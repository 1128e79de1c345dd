namespace WikiSync.Wiki;

/// <summary>
/// What kind of refusal a <see cref="WikiApiException"/> is. The client decides it once, from the wiki's
/// answer; callers (the sync flow, the metrics, the CLI) act on the kind, never on the error code's text.
/// </summary>
public enum WikiErrorKind
{
    /// <summary>Any other refusal; the message says what the wiki answered.</summary>
    Refused,

    /// <summary>
    /// Someone changed the page between our read and our save (saved it: editconflict; deleted it:
    /// missingtitle, pagedeleted; created it: articleexists): read it again and splice again.
    /// </summary>
    EditConflict,

    /// <summary>The wiki's database replicas lag more than our maxlag; the wiki asks bots to wait.</summary>
    MaxLag,

    /// <summary>The account made too many requests or edits in a short time.</summary>
    RateLimited,

    /// <summary>The wiki is in read-only mode (maintenance).</summary>
    ReadOnly,

    /// <summary>No usable answer: HTTP 5xx or 429, a timeout, a dropped connection, a database error, not the API's JSON.</summary>
    Unavailable,

    /// <summary>The page is protected against edits by WikiSync's account.</summary>
    Protected,

    /// <summary>WikiSync's account (or its IP address) is blocked from editing.</summary>
    Blocked,

    /// <summary>The text links to a site on the wiki's spam blacklist.</summary>
    SpamBlacklist,

    /// <summary>An AbuseFilter rule of the wiki stopped the edit.</summary>
    AbuseFilter,

    /// <summary>The new text is larger than the wiki's $wgMaxArticleSize.</summary>
    ContentTooBig,

    /// <summary>One or more titles are not valid page titles; see <see cref="WikiApiException.InvalidTitles"/>.</summary>
    InvalidTitle,

    /// <summary>The account may not do this (groups, bot password grants).</summary>
    PermissionDenied,

    /// <summary>Logging in failed: a wrong bot password, a main-account password, or no account configured.</summary>
    Login,

    /// <summary>The wiki accepted the login but did not keep the session: no verdict on the credentials.</summary>
    SessionLost,
}

/// <summary>
/// The wiki refused a request. <see cref="Kind"/> is what it means for the caller; <see cref="Code"/> is the
/// API error code as the wiki gave it (e.g. "protectedpage"), for logs and metrics. The message names the
/// page and says what a person can do; it never holds a password or a token.
/// </summary>
public sealed class WikiApiException : Exception
{
    public WikiApiException(WikiErrorKind kind, string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Code = code;
    }

    public WikiApiException() : this(WikiErrorKind.Refused, "unknown", "The wiki refused the request.") { }

    public WikiApiException(string message) : this(WikiErrorKind.Refused, "unknown", message) { }

    public WikiApiException(string message, Exception inner) : this(WikiErrorKind.Refused, "unknown", message, inner) { }

    public WikiErrorKind Kind { get; }

    public string Code { get; }

    /// <summary>Whether waiting and trying again can help (maxlag, ratelimited, readonly, unavailable).</summary>
    public bool IsTransient => Kind is WikiErrorKind.MaxLag or WikiErrorKind.RateLimited or WikiErrorKind.ReadOnly or WikiErrorKind.Unavailable;

    /// <summary>
    /// Whether the wiki refused the text itself (spam blacklist or $wgSpamRegex, an abuse filter, the size
    /// limit): the same text is refused again on every retry, only another text can pass.
    /// </summary>
    public bool IsContentRefusal => Kind is WikiErrorKind.SpamBlacklist or WikiErrorKind.AbuseFilter or WikiErrorKind.ContentTooBig;

    /// <summary>The server's Retry-After, if it gave one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The page the refused request was about; empty when it was about none.</summary>
    public string Title { get; init; } = "";

    /// <summary>For <see cref="WikiErrorKind.InvalidTitle"/>: each invalid title as asked, with the wiki's reason.</summary>
    public IReadOnlyDictionary<string, string> InvalidTitles { get; init; } = new Dictionary<string, string>();

    /// <summary>For <see cref="WikiErrorKind.InvalidTitle"/>: the pages of the same read whose titles were valid, so a caller can go on with those.</summary>
    public IReadOnlyDictionary<string, WikiPage> ValidPages { get; init; } = new Dictionary<string, WikiPage>();

    // The refusals with a fixed wording, made here so that the client and the test doubles word them alike.

    public static WikiApiException EditConflict(string title) =>
        new(WikiErrorKind.EditConflict, "editconflict", $"Edit conflict on \"{title}\": someone saved it after WikiSync read it.") { Title = title };

    public static WikiApiException MissingTitle(string title, string code = "missingtitle") =>
        new(WikiErrorKind.EditConflict, code, $"\"{title}\" does not exist (it may have been deleted after WikiSync read it); WikiSync did not create it again.") { Title = title };

    public static WikiApiException ArticleExists(string title) =>
        new(WikiErrorKind.EditConflict, "articleexists", $"\"{title}\" was created by someone else after WikiSync found it missing; WikiSync did not overwrite it. Read it again and retry.") { Title = title };

    public static WikiApiException ProtectedPage(string title, string code = "protectedpage", string info = "protected") =>
        new(WikiErrorKind.Protected, code, $"\"{title}\" is protected and WikiSync's account may not edit it ({info}). Ask an administrator to lower the protection or to give the account the right to edit it.") { Title = title };

    public static WikiApiException InvalidTitle(IReadOnlyDictionary<string, string> reasons, IReadOnlyDictionary<string, WikiPage>? validPages = null) =>
        new(WikiErrorKind.InvalidTitle, "invalidtitle", "Not a valid page title: " + string.Join("; ", reasons.Select(r => $"\"{r.Key}\" ({r.Value})")))
        {
            InvalidTitles = reasons,
            ValidPages = validPages ?? new Dictionary<string, WikiPage>(),
        };

    public static WikiApiException Unavailable(string code, string message, TimeSpan? retryAfter = null, Exception? inner = null) =>
        new(WikiErrorKind.Unavailable, code, message, inner) { RetryAfter = retryAfter };

    public static WikiApiException Login(string code, string message) => new(WikiErrorKind.Login, code, message);
}
