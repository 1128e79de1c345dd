using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WikiSync.Wiki;

/// <summary>
/// A MediaWiki reached through its Action API, logged in with a bot password: batched reads, safe edits,
/// parse and user info. Shaped like WikiClientLibrary's WikiSite. One instance per process: it keeps the
/// session cookies, the CSRF token and the account's batch size, and is safe to use from several tasks.
/// </summary>
public sealed partial class WikiSite : IWikiSite, IDisposable
{
    private const int LowLimit = 50;
    private const int HighLimit = 500;

    private readonly WikiSiteOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _sessionLock = new(1, 1);
    private readonly string _userAgent;
    private readonly Polly.ResiliencePipeline _retries;
    private CookieContainer _cookies = new();
    private long _requestCount;
    private int _sessionGeneration;
    private volatile bool _loggedIn;
    private volatile string? _csrfToken;
    private volatile int _batchSize = LowLimit;
    private volatile string _userName = "";
    // Until the account's rights are known: asked once per process, along with the first query that can carry it.
    private volatile bool _userInfoPending = true;

    public WikiSite(WikiSiteOptions options, ILogger<WikiSite>? logger = null, TimeProvider? timeProvider = null)
        : this(CreateHandler(), options, logger, timeProvider, ownsHandler: true)
    {
    }

    /// <summary>For tests and proxies: every request goes through <paramref name="handler"/>, which the caller disposes.</summary>
    public WikiSite(HttpMessageHandler handler, WikiSiteOptions options, ILogger<WikiSite>? logger = null, TimeProvider? timeProvider = null)
        : this(handler, options, logger, timeProvider, ownsHandler: false)
    {
    }

    private WikiSite(HttpMessageHandler handler, WikiSiteOptions options, ILogger<WikiSite>? logger, TimeProvider? timeProvider, bool ownsHandler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries);
        _options = options;
        _http = new HttpClient(handler, ownsHandler) { Timeout = Timeout.InfiniteTimeSpan };
        _time = timeProvider ?? TimeProvider.System;
        _log = (ILogger?)logger ?? NullLogger.Instance;
        _userAgent = UserAgentFor(options.Contact);
        _retries = BuildRetries();
    }

    public Uri ApiUrl => _options.ApiUrl;

    /// <summary>How many <c>prop=info</c> batches are asked at once.</summary>
    internal const int ParallelInfoReads = 2;

    /// <summary>HTTP requests sent so far, retries and logins included.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>Titles per read request: 500 when the account has apihighlimits, else 50.</summary>
    public int BatchSize => _batchSize;

    public string UserAgent => _userAgent;

    /// <summary>Logs in now (otherwise the first request does). Throws a <see cref="WikiApiException"/> of kind <see cref="WikiErrorKind.Login"/>.</summary>
    public async Task LoginAsync(CancellationToken cancellationToken)
    {
        await _sessionLock.WaitAsync(cancellationToken);
        try
        {
            await LoginCoreAsync(askUserInfo: true, cancellationToken);
        }
        finally
        {
            _sessionLock.Release();
        }
    }

    public Task PrepareSessionAsync(CancellationToken cancellationToken) => EnsureSessionAsync(cancellationToken);

    /// <summary>Who the wiki thinks we are, with groups and rights, asked fresh.</summary>
    public async Task<UserInfo> UserInfoAsync(CancellationToken cancellationToken)
    {
        var root = await CallAsync([new("action", "query"), new("meta", "userinfo"), new("uiprop", "groups|rights")], CallKind.Read, null, cancellationToken);
        return ReadUserInfo(root.GetProperty("query").GetProperty("userinfo"));
    }

    public async Task<EditResult> EditAsync(EditRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var basis = request.Basis;
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("action", "edit"),
            new("title", request.Title),
            new("text", request.Text),
            new("summary", EditSummary.Truncate(request.Summary)),
        };
        // baserevid, basetimestamp and starttimestamp make the wiki detect anything saved or deleted since our read;
        // nocreate / createonly turn a delete or a create in between into a refusal instead of a surprise.
        if (basis.Exists)
        {
            // baserevid, not basetimestamp, when the revision id is known: timestamps have one-second
            // resolution, and with basetimestamp MediaWiki suppresses a conflict when no revision is
            // strictly newer than it ("same user"), so a human save in the same second as the revision we
            // read was silently overwritten. With baserevid any newer revision is a conflict (or a merge).
            if (basis.RevisionId > 0)
                parameters.Add(new("baserevid", basis.RevisionId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            else if (basis.Timestamp is { Length: > 0 } baseTimestamp)
                parameters.Add(new("basetimestamp", baseTimestamp));
            parameters.Add(new("nocreate", "1"));
        }
        else
        {
            parameters.Add(new("createonly", "1"));
        }
        if (basis.CurTimestamp.Length > 0)
            parameters.Add(new("starttimestamp", basis.CurTimestamp));
        if (request.Bot)
            parameters.Add(new("bot", "1"));
        if (request.Minor)
            parameters.Add(new("minor", "1"));

        var trace = new CallTrace();
        var root = await CallAsync(parameters, CallKind.Write, request.Title, cancellationToken, trace);
        if (!root.TryGetProperty("edit", out var edit))
            throw WikiApiException.Unavailable("badresponse", $"The wiki's answer to the edit of \"{request.Title}\" has no edit result.");
        var result = GetString(edit, "result");
        if (result != "Success")
            throw new WikiApiException(WikiErrorKind.Refused, "editfailed", $"The wiki did not save \"{request.Title}\" (result {result}): {Shorten(edit.GetRawText())}");
        if (edit.TryGetProperty("nochange", out _))
        {
            // After a try whose answer was lost, "no change" may mean that try saved the text: the wiki
            // does not conflict a user with their own edit. The page's latest revision tells.
            if (trace.RetriedAfterUnknownOutcome && await LatestRevisionAsync(request.Title, cancellationToken) is { } latest
                && latest.Id != basis.RevisionId && latest.User == _userName)
            {
                _log.LogInformation("The edit of {Title} was saved by an earlier try as revision {RevisionId}", request.Title, latest.Id);
                return new EditResult(request.Title, true, latest.Id, latest.Timestamp);
            }
            _log.LogDebug("No change to {Title}", request.Title);
            return new EditResult(request.Title, false, basis.RevisionId, basis.Timestamp);
        }
        var revision = edit.TryGetProperty("newrevid", out var id) ? id.GetInt64() : 0;
        var timestamp = GetString(edit, "newtimestamp");
        _log.LogDebug("Saved {Title} as revision {RevisionId}", request.Title, revision);
        return new EditResult(request.Title, true, revision, timestamp)
        {
            ParentRevisionId = GetInt64(edit, "oldrevid"),
            PageId = GetInt64(edit, "pageid") ?? 0,
        };
    }

    /// <summary>The parser's view of a saved page: headings, templates, categories, links.</summary>
    public async Task<ParsedPage> ParseAsync(string title, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        var root = await CallAsync([new("action", "parse"), new("page", title), .. ParseProps], CallKind.Read, title, cancellationToken);
        return ReadParse(root);
    }

    /// <summary>Every revision of a page with its text, oldest first; empty for a missing page.</summary>
    public async Task<IReadOnlyList<WikiRevision>> GetRevisionsAsync(string title, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        var revisions = new List<WikiRevision>();
        IReadOnlyList<KeyValuePair<string, string>> parameters =
        [
            new("action", "query"), new("prop", "revisions"), new("titles", title),
            new("rvprop", "ids|timestamp|user|comment|flags|content"), new("rvslots", "main"),
            new("rvlimit", "max"), new("rvdir", "newer"),
        ];
        await foreach (var root in QueryWithContinuationAsync(parameters, cancellationToken))
        {
            if (!root.TryGetProperty("query", out var query) || !query.TryGetProperty("pages", out var pages))
                continue;
            foreach (var page in pages.EnumerateArray())
            {
                if (page.TryGetProperty("invalid", out _))
                    throw WikiApiException.InvalidTitle(new Dictionary<string, string> { [title] = GetString(page, "invalidreason") ?? "invalid" });
                if (!page.TryGetProperty("revisions", out var revs))
                    continue;
                foreach (var rev in revs.EnumerateArray())
                {
                    revisions.Add(new WikiRevision(
                        rev.GetProperty("revid").GetInt64(),
                        rev.TryGetProperty("parentid", out var parent) ? parent.GetInt64() : 0,
                        GetString(rev, "user") ?? "",
                        GetString(rev, "timestamp") ?? "",
                        GetString(rev, "comment") ?? "",
                        rev.TryGetProperty("minor", out var minor) && minor.ValueKind == JsonValueKind.True,
                        MainSlotText(rev, title)));
                }
            }
        }
        return revisions;
    }

    private async Task<(long Id, string User, string Timestamp)?> LatestRevisionAsync(string title, CancellationToken cancellationToken)
    {
        var root = await CallAsync(
            [new("action", "query"), new("prop", "revisions"), new("titles", title), new("rvprop", "ids|user|timestamp"), new("rvslots", "main")],
            CallKind.Read, title, cancellationToken);
        if (!root.TryGetProperty("query", out var query) || !query.TryGetProperty("pages", out var pages))
            return null;
        foreach (var page in pages.EnumerateArray())
        {
            if (page.TryGetProperty("revisions", out var revisions) && revisions.GetArrayLength() > 0)
                return (revisions[0].GetProperty("revid").GetInt64(), GetString(revisions[0], "user") ?? "", GetString(revisions[0], "timestamp") ?? "");
        }
        return null;
    }

    /// <summary>
    /// Any Action API request, for what the typed methods do not cover (tests, benchmarks). format,
    /// formatversion=2, maxlag and assert are added; a write also gets the CSRF token, last. Errors throw
    /// the same typed exceptions, with the same retries, re-login and token refresh.
    /// </summary>
    public Task<JsonElement> InvokeAsync(IReadOnlyList<KeyValuePair<string, string>> parameters, bool write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return CallAsync(parameters, write ? CallKind.Write : CallKind.Read, null, cancellationToken);
    }

    public void Dispose()
    {
        _http.Dispose();
        _sessionLock.Dispose();
    }

    private static readonly KeyValuePair<string, string>[] ParseProps =
    [
        new("prop", "text|sections|templates|categories|links|externallinks|revid"),
        new("disablelimitreport", "1"),
        new("disableeditsection", "1"),
    ];

    private async IAsyncEnumerable<JsonElement> QueryWithContinuationAsync(
        IReadOnlyList<KeyValuePair<string, string>> parameters,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var continuation = new List<KeyValuePair<string, string>>();
        for (var round = 0; round < 10_000; round++)
        {
            var root = await CallAsync([.. parameters, .. continuation], CallKind.Read, null, cancellationToken);
            yield return root;
            if (!root.TryGetProperty("continue", out var next))
                yield break;
            continuation = [.. next.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.ToString()))];
        }
        throw WikiApiException.Unavailable("badresponse", "The wiki kept asking to continue a query; stopped after 10,000 rounds.");
    }

    private static UserInfo ReadUserInfo(JsonElement info) =>
        new(
            GetString(info, "name") ?? "",
            info.TryGetProperty("id", out var id) ? id.GetInt64() : 0,
            info.TryGetProperty("anon", out _),
            Strings(info, "groups"),
            Strings(info, "rights"));

    private static ParsedPage ReadParse(JsonElement root)
    {
        var parse = root.GetProperty("parse");
        var sections = new List<ParsedSection>();
        if (parse.TryGetProperty("sections", out var list))
        {
            foreach (var s in list.EnumerateArray())
            {
                sections.Add(new ParsedSection(
                    int.TryParse(GetString(s, "level"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var level) ? level : 0,
                    GetString(s, "line") ?? "",
                    GetString(s, "anchor") ?? "",
                    GetString(s, "index") ?? ""));
            }
        }
        return new ParsedPage(
            GetString(parse, "title") ?? "",
            parse.TryGetProperty("revid", out var revid) ? revid.GetInt64() : 0,
            GetString(parse, "text") ?? "",
            sections,
            Titles(parse, "templates", "title"),
            Titles(parse, "categories", "category"),
            Titles(parse, "links", "title"),
            Strings(parse, "externallinks"));
    }

    private static string[] Titles(JsonElement parent, string list, string key) =>
        parent.TryGetProperty(list, out var items)
            ? [.. items.EnumerateArray().Select(i => GetString(i, key) ?? "")]
            : [];

    private static string[] Strings(JsonElement parent, string list) =>
        parent.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray().Select(i => i.ToString())]
            : [];

    private static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString()
            : null;

    /// <summary>A whole-number member of an answer; null when it is absent or not a number.</summary>
    private static long? GetInt64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    /// <summary>A moment as the API writes and takes timestamps (ISO 8601, UTC, whole seconds).</summary>
    private static string ApiTimestamp(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static SocketsHttpHandler CreateHandler() => new()
    {
        // The session cookies are kept by WikiSite itself, so a handler given by a test behaves the same.
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>
    /// WikiSync's User-Agent, for the wiki and for every other service it calls (OpenStack): the version and
    /// who runs it, as Wikimedia's User-Agent policy asks, with characters a header cannot carry left out.
    /// </summary>
    public static string UserAgentFor(string? contact)
    {
        var version = typeof(WikiSite).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(WikiSite).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
            version = version[..plus];
        var cleanContact = new string([.. (contact ?? "").Where(c => !char.IsControl(c) && c != '(' && c != ')')]).Trim();
        return cleanContact.Length > 0 ? $"WikiSync/{version} ({cleanContact})" : $"WikiSync/{version}";
    }
}
