using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WikiSync.Redaction;

namespace WikiSync.Wiki;

// How one try of a call reaches the wiki: login on first use, the CSRF token, assert=user, one re-login
// and one token refresh (the retries with backoff around it are in WikiSite.Retries.cs). Nothing here
// logs a parameter value: they hold the password, the tokens and page text.
public sealed partial class WikiSite
{
    private enum CallKind
    {
        /// <summary>Login, tokens and user info while the session is being set up: no login first, no assert.</summary>
        Session,
        Read,
        Write,
    }

    private sealed record ApiError(string Code, string Info);

    private bool HasAccount => _options.User.Length > 0;

    /// <summary>Filled in by <see cref="CallAsync"/>: whether an earlier try may have reached the wiki.</summary>
    private sealed class CallTrace
    {
        public bool RetriedAfterUnknownOutcome { get; set; }
    }

    /// <summary>One call's state across its tries: what to send, and the one re-login and token refresh it may spend.</summary>
    private sealed record PendingCall(IReadOnlyList<KeyValuePair<string, string>> Parameters, CallKind Kind, string? Title, string Action, CallTrace Trace)
    {
        public bool Relogged { get; set; }

        public bool TokenRefreshed { get; set; }
    }

    /// <summary>
    /// One try of a call (the retry strategy decides on another): a lost session is logged into again and
    /// a refused token fetched again once per call, within the same try.
    /// </summary>
    private async ValueTask<JsonElement> TryOnceAsync(PendingCall call, CancellationToken cancellationToken)
    {
        var (parameters, kind, title, action) = (call.Parameters, call.Kind, call.Title, call.Action);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (kind == CallKind.Write && !HasAccount)
                throw NoAccount();
            if (kind != CallKind.Session)
                await EnsureSessionAsync(cancellationToken);
            var generation = Volatile.Read(ref _sessionGeneration);
            var token = kind == CallKind.Write ? await GetCsrfTokenAsync(cancellationToken) : null;

            JsonElement root;
            TimeSpan? retryAfter;
            try
            {
                (root, retryAfter) = await SendOnceAsync(BuildBody(parameters, kind, token), action, cancellationToken);
            }
            catch (WikiApiException e) when (e.IsTransient)
            {
                // A timeout, a dropped connection or a 5xx may come after the wiki did the work.
                call.Trace.RetriedAfterUnknownOutcome = true;
                throw;
            }

            var error = ReadError(root);
            if (error is null)
                return root;

            if (IsSessionLost(error.Code) && kind != CallKind.Session && !call.Relogged)
            {
                // The wiki forgot our session (expired, cookies lost): log in once more and repeat the call.
                call.Relogged = true;
                _log.LogWarning("The wiki lost WikiSync's session during {Action} ({Code}); logging in again", action, error.Code);
                await ReloginAsync(generation, cancellationToken);
                continue;
            }
            if (error.Code == "badtoken" && kind == CallKind.Write && !call.TokenRefreshed)
            {
                call.TokenRefreshed = true;
                _log.LogWarning("The wiki refused the edit token during {Action}; fetching a new one", action);
                Interlocked.CompareExchange(ref _csrfToken, null, token);
                continue;
            }
            throw ToException(error, title, retryAfter);
        }
    }

    private List<KeyValuePair<string, string>> BuildBody(IReadOnlyList<KeyValuePair<string, string>> parameters, CallKind kind, string? token)
    {
        var body = new List<KeyValuePair<string, string>>(parameters.Count + 6);
        body.AddRange(parameters.Where(p => p.Key != "token"));
        AddDefault(body, "format", "json");
        AddDefault(body, "formatversion", "2");
        AddDefault(body, "errorformat", "plaintext");
        AddDefault(body, "maxlag", _options.MaxLag.ToString(CultureInfo.InvariantCulture));
        if (kind != CallKind.Session && HasAccount)
            AddDefault(body, "assert", "user");
        // Last, so a body cut short in transit cannot carry a valid token (MediaWiki's advice).
        if (token is not null)
            body.Add(new("token", token));
        return body;
    }

    private static void AddDefault(List<KeyValuePair<string, string>> body, string key, string value)
    {
        if (!body.Exists(p => p.Key == key))
            body.Add(new(key, value));
    }

    private async Task<(JsonElement Root, TimeSpan? RetryAfter)> SendOnceAsync(List<KeyValuePair<string, string>> body, string action, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requestCount);
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.ApiUrl) { Content = new FormUrlEncodedContent(body) };
        request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        var cookies = _cookies;
        var cookieHeader = cookies.GetCookieHeader(_options.ApiUrl);
        if (cookieHeader.Length > 0)
            request.Headers.TryAddWithoutValidation("Cookie", cookieHeader);
        var started = _time.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    try
                    {
                        cookies.SetCookies(_options.ApiUrl, setCookie);
                    }
                    catch (CookieException)
                    {
                        _log.LogDebug("Ignored a cookie the wiki set during {Action} that .NET cannot store", action);
                    }
                }
            }
            var retryAfter = ReadRetryAfter(response.Headers.RetryAfter);
            var status = (int)response.StatusCode;
            _log.LogDebug("{Action}: HTTP {Status} after {Milliseconds} ms", action, status, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            if (status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
                throw WikiApiException.Unavailable($"http{status}", $"The wiki answered HTTP {status} ({response.ReasonPhrase}) to {action}.", retryAfter);
            if (!response.IsSuccessStatusCode)
                throw new WikiApiException(WikiErrorKind.Refused, $"http{status}", $"The wiki answered HTTP {status} ({response.ReasonPhrase}) to {action}; is {Redact.Url(_options.ApiUrl)} the wiki's api.php?");
            await using var stream = await response.Content.ReadAsStreamAsync(linked.Token);
            using var document = await JsonDocument.ParseAsync(stream, default, linked.Token);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new JsonException("not an object");
            return (document.RootElement.Clone(), retryAfter);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw WikiApiException.Unavailable("timeout", $"The wiki did not answer {action} within {_options.RequestTimeout.TotalSeconds:0.#} s.", null, e);
        }
        catch (IOException e)
        {
            // The connection broke while the answer was being read (HttpIOException).
            throw WikiApiException.Unavailable("connection", $"The connection to the wiki broke during {action}: {Redact.Text(e.Message)}", null, e);
        }
        catch (HttpRequestException e)
        {
            throw WikiApiException.Unavailable("connection", $"Could not reach the wiki at {Redact.Url(_options.ApiUrl)} for {action}: {Redact.Text(e.Message)}", null, e);
        }
        catch (JsonException e)
        {
            throw WikiApiException.Unavailable("badresponse", $"The wiki's answer to {action} was not the API's JSON; is {Redact.Url(_options.ApiUrl)} the wiki's api.php?", null, e);
        }
    }

    private TimeSpan? ReadRetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
            return delta;
        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static ApiError? ReadError(JsonElement root)
    {
        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var first = errors[0];
            return new ApiError(GetString(first, "code") ?? "unknown", GetString(first, "text") ?? GetString(first, "*") ?? "");
        }
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            return new ApiError(GetString(error, "code") ?? "unknown", GetString(error, "info") ?? GetString(error, "text") ?? "");
        return null;
    }

    private static bool IsSessionLost(string code) =>
        code is "assertuserfailed" or "assertbotfailed" or "assertnameduserfailed" or "notloggedin";

    /// <summary>The one place a refusal of the wiki gets its kind.</summary>
    private static WikiApiException ToException(ApiError error, string? title, TimeSpan? retryAfter)
    {
        var page = title ?? "";
        var code = error.Code;
        var info = error.Info.Length > 0 ? error.Info : code;
        WikiApiException Refusal(WikiErrorKind kind, string message) => new(kind, code, message) { Title = page, RetryAfter = retryAfter };
        return code switch
        {
            "editconflict" => WikiApiException.EditConflict(page),
            "missingtitle" or "nocreate-missing" or "pagedeleted" => WikiApiException.MissingTitle(page, code),
            "articleexists" => WikiApiException.ArticleExists(page),
            "maxlag" => Refusal(WikiErrorKind.MaxLag, $"The wiki is busy (replication lag: {info}); it asks bots to wait and try again."),
            "ratelimited" => Refusal(WikiErrorKind.RateLimited, $"The wiki rate-limited WikiSync's account ({info}). Give the account the noratelimit right (the bot group has it) or slow the schedule."),
            "readonly" => Refusal(WikiErrorKind.ReadOnly, $"The wiki is read-only for now ({info}); WikiSync will try again later."),
            "protectedpage" or "cascadeprotected" or "protectednamespace" or "protectednamespace-interface"
                or "protectedtitle" or "customcssprotected" or "customjsprotected" or "customjsonprotected"
                or "sitecssprotected" or "sitejsprotected" or "sitejsonprotected" or "mycssjsredirect"
                => WikiApiException.ProtectedPage(page, code, info),
            "blocked" or "autoblocked" or "systemblocked" or "blockedtext" or "globalblocking-blockedtext"
                => Refusal(WikiErrorKind.Blocked, $"WikiSync's account is blocked from editing, so \"{page}\" was not saved ({info}). An administrator of the wiki has to lift the block."),
            "spamblacklist"
                => Refusal(WikiErrorKind.SpamBlacklist, $"The wiki refused the edit of \"{page}\" because the text links to a blacklisted site ({info}). Remove that link from the source data or ask the wiki's administrators to allow it."),
            // $wgSpamRegex: MediaWiki 1.39 answers spamprotectionmatch, older ones spamdetected.
            "spamdetected" or "spamprotectionmatch"
                => Refusal(WikiErrorKind.SpamBlacklist, $"The wiki's spam filter refused the edit of \"{page}\" ({info}). Remove the matching text from the source data or ask the wiki's administrators to change the filter."),
            "contenttoobig"
                => Refusal(WikiErrorKind.ContentTooBig, $"The new text of \"{page}\" is larger than the wiki allows ({info}). Make the generated sections smaller, e.g. move old entries to archive pages."),
            "invalidtitle" => WikiApiException.InvalidTitle(new Dictionary<string, string> { [page] = info }),
            "assertuserfailed" or "assertbotfailed" or "assertnameduserfailed" or "notloggedin"
                => WikiApiException.Login(code, $"The wiki does not recognise WikiSync's login even after logging in again ({info}). Check that the bot password is still valid, and that the wiki's session cookies come back (its cookie settings)."),
            "badtoken" => Refusal(WikiErrorKind.Refused, $"The wiki refused WikiSync's edit token twice in a row ({info})."),
            "permissiondenied" or "writeapidenied" or "noedit" or "noedit-anon" or "cantcreate" or "cantcreate-anon" or "mwoauth-invalid-authorization"
                => Refusal(WikiErrorKind.PermissionDenied, $"WikiSync's account may not do this{For(page)} ({info}). Check the groups of the account and the grants of its bot password (edit existing pages, create pages)."),
            _ when code.StartsWith("abusefilter-", StringComparison.Ordinal)
                => Refusal(WikiErrorKind.AbuseFilter, $"An abuse filter of the wiki refused the edit of \"{page}\" ({info}). Ask the wiki's administrators to exempt WikiSync's account or change the filter."),
            // A busy SQLite or database server: the same request may well succeed a moment later.
            _ when code.StartsWith("internal_api_error_DB", StringComparison.Ordinal)
                => Refusal(WikiErrorKind.Unavailable, $"The wiki had a database error{For(page)}: {info}"),
            _ => Refusal(WikiErrorKind.Refused, $"The wiki refused the request{For(page)}: {info} ({code})."),
        };
    }

    private static string For(string title) => title.Length > 0 ? $" on \"{title}\"" : "";

    private async Task EnsureSessionAsync(CancellationToken cancellationToken)
    {
        if (_loggedIn || !HasAccount)
            return;
        await _sessionLock.WaitAsync(cancellationToken);
        try
        {
            // The user info rides on the next query instead of costing a request of its own.
            if (!_loggedIn)
                await LoginCoreAsync(askUserInfo: false, cancellationToken);
        }
        finally
        {
            _sessionLock.Release();
        }
    }

    private async Task ReloginAsync(int generation, CancellationToken cancellationToken)
    {
        await _sessionLock.WaitAsync(cancellationToken);
        try
        {
            // Another task may have logged in again already since our call was sent.
            if (Volatile.Read(ref _sessionGeneration) == generation)
                await LoginCoreAsync(askUserInfo: false, cancellationToken);
        }
        finally
        {
            _sessionLock.Release();
        }
    }

    private async Task LoginCoreAsync(bool askUserInfo, CancellationToken cancellationToken)
    {
        // A session lost right after a successful login (cookies dropped once on the way) is a blip; only a
        // second loss in a row means the wiki's cookie settings are wrong.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await LoginOnceAsync(askUserInfo, cancellationToken);
                return;
            }
            catch (WikiApiException e) when (e.Kind == WikiErrorKind.SessionLost && attempt < 2)
            {
                _log.LogWarning("The wiki did not keep WikiSync's session right after the login; logging in once more");
            }
        }
    }

    /// <summary>The code of a login the wiki accepted but whose session it then did not keep.</summary>
    private const string SessionNotKept = "sessionnotkept";

    /// <param name="askUserInfo">
    /// Ask who we are now, which also proves the session is kept (an explicit login, e.g. <c>wikisync check</c>).
    /// Otherwise the question rides on the next query (<see cref="AskUserInfoAlong"/>); that query's
    /// <c>assert=user</c> catches a session the wiki did not keep.
    /// </param>
    private async Task LoginOnceAsync(bool askUserInfo, CancellationToken cancellationToken)
    {
        if (!HasAccount)
            throw NoAccount();
        _loggedIn = false;
        _csrfToken = null;
        _cookies = new CookieContainer();
        var user = _options.User;
        JsonElement loginAnswer;
        for (var round = 0; ; round++)
        {
            var tokens = await CallAsync([new("action", "query"), new("meta", "tokens"), new("type", "login")], CallKind.Session, null, cancellationToken);
            var loginToken = tokens.GetProperty("query").GetProperty("tokens").GetProperty("logintoken").GetString() ?? "";
            var root = await CallAsync(
                [new("action", "login"), new("lgname", user), new("lgpassword", _options.Password), new("lgtoken", loginToken)],
                CallKind.Session, null, cancellationToken);
            var login = root.GetProperty("login");
            loginAnswer = login;
            var result = GetString(login, "result") ?? "";
            var reason = GetString(login, "reason") ?? "";
            switch (result)
            {
                case "Success" when IsMainAccountLogin(root, user):
                    // A working main-account login would still be a misconfiguration: bot passwords limit what
                    // a leaked secret can do. Drop the session rather than use it.
                    _cookies = new CookieContainer();
                    throw MainAccountRefused(user);
                case "Success":
                    break;
                case "NeedToken" or "WrongToken" when round == 0:
                    continue;
                case "Aborted" when reason.Contains("BotPasswords", StringComparison.OrdinalIgnoreCase)
                                    || reason.Contains("bot password", StringComparison.OrdinalIgnoreCase):
                    throw MainAccountRefused(user);
                case "Throttled":
                    throw WikiApiException.Login("throttled", $"The wiki refused the login of \"{user}\" for now after too many attempts: {reason}");
                default:
                    var hint = user.Contains('@', StringComparison.Ordinal)
                        ? " Check WIKISYNC_WIKI_USER and WIKISYNC_WIKI_PASSWORD against the wiki's Special:BotPasswords."
                        : " WikiSync logs in with a bot password: the user name looks like \"Account@BotName\".";
                    throw WikiApiException.Login("loginfailed", $"The wiki refused the login of \"{user}\" ({result}): {reason}{hint}");
            }
            break;
        }

        _userName = GetString(loginAnswer, "lgusername") is { Length: > 0 } name ? name : user.Split('@')[0];
        if (askUserInfo)
        {
            var userInfo = ReadUserInfo((await CallAsync(RightsQuery, CallKind.Session, null, cancellationToken)).GetProperty("query").GetProperty("userinfo"));
            if (userInfo.IsAnonymous)
                throw new WikiApiException(WikiErrorKind.SessionLost, SessionNotKept, $"The wiki accepted the login of \"{user}\" but does not keep the session (its cookies are not coming back); check the wiki's cookie settings.");
            TakeUserInfo(userInfo);
        }
        Interlocked.Increment(ref _sessionGeneration);
        _loggedIn = true;
        _log.LogInformation("Logged in to {Api} as {User}", Redact.Url(_options.ApiUrl), _userName);
    }

    /// <summary>
    /// One question for the whole session: may this account read 500 titles a request? Added to a query
    /// while it is still open; the answer is taken by <see cref="TakeUserInfo(JsonElement)"/>.
    /// </summary>
    private void AskUserInfoAlong(List<KeyValuePair<string, string>> parameters)
    {
        if (!_userInfoPending || !HasAccount)
            return;
        parameters.Add(new("meta", "userinfo"));
        parameters.Add(new("uiprop", "rights"));
    }

    /// <summary>The user info of an answer to a query that asked it along, if it is there.</summary>
    private void TakeUserInfo(JsonElement query)
    {
        if (_userInfoPending && query.TryGetProperty("userinfo", out var info) && ReadUserInfo(info) is { IsAnonymous: false } userInfo)
            TakeUserInfo(userInfo);
    }

    private void TakeUserInfo(UserInfo userInfo)
    {
        _batchSize = userInfo.HasRight("apihighlimits") ? HighLimit : LowLimit;
        _userInfoPending = false;
        _log.LogDebug("{User} reads {BatchSize} titles a request", userInfo.Name, _batchSize);
    }

    private static readonly KeyValuePair<string, string>[] RightsQuery = [new("action", "query"), new("meta", "userinfo"), new("uiprop", "rights")];

    /// <summary>For reads that cut titles into batches: the batch size must be known before the first one.</summary>
    private async Task EnsureBatchSizeAsync(CancellationToken cancellationToken)
    {
        await EnsureSessionAsync(cancellationToken);
        if (!_userInfoPending || !HasAccount)
            return;
        var root = await CallAsync(RightsQuery, CallKind.Read, null, cancellationToken);
        TakeUserInfo(root.GetProperty("query"));
    }

    private static bool IsMainAccountLogin(JsonElement root, string user)
    {
        if (!user.Contains('@', StringComparison.Ordinal))
            return true;
        if (!root.TryGetProperty("warnings", out var warnings))
            return false;
        // The login module warns "Main-account login via action=login is deprecated" (feature main-account-login).
        var text = warnings.GetRawText();
        return text.Contains("main-account-login", StringComparison.Ordinal) || text.Contains("login-nobotpw", StringComparison.Ordinal);
    }

    private static WikiApiException NoAccount() =>
        WikiApiException.Login("nologin", "No wiki account is configured (WIKISYNC_WIKI_USER and WIKISYNC_WIKI_PASSWORD); WikiSync does not edit anonymously.");

    private static WikiApiException MainAccountRefused(string user) => WikiApiException.Login(
        "mainaccount",
        $"\"{user}\" logged in with the account's main password, which WikiSync does not use. " +
        "Create a bot password on the wiki's Special:BotPasswords page (grants: high-volume editing, edit existing pages, create, edit and move pages), " +
        "then set WIKISYNC_WIKI_USER to \"Account@BotName\" and WIKISYNC_WIKI_PASSWORD to the generated password.");

    private async Task<string> GetCsrfTokenAsync(CancellationToken cancellationToken)
    {
        if (_csrfToken is { } cached)
            return cached;
        var root = await CallAsync([new("action", "query"), new("meta", "tokens"), new("type", "csrf")], CallKind.Session, null, cancellationToken);
        var token = root.GetProperty("query").GetProperty("tokens").GetProperty("csrftoken").GetString() ?? "";
        _csrfToken = token;
        return token;
    }
}
