using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WikiSync.Redaction;

namespace WikiSync.Wiki;

// How one call reaches the wiki: login on first use, the CSRF token, assert=user, bounded retries with
// backoff, one re-login and one token refresh. Nothing here logs a parameter value: they hold the
// password, the tokens and page text.
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

    private async Task<JsonElement> CallAsync(
        IReadOnlyList<KeyValuePair<string, string>> parameters, CallKind kind, string? title, CancellationToken cancellationToken, CallTrace? trace = null)
    {
        var action = parameters.FirstOrDefault(p => p.Key == "action").Value ?? "?";
        var relogged = false;
        var tokenRefreshed = false;
        var attempt = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (kind == CallKind.Write && !HasAccount)
                throw new WikiLoginException("nologin", "No wiki account is configured (WIKISYNC_WIKI_USER and WIKISYNC_WIKI_PASSWORD); WikiSync does not edit anonymously.");
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
            catch (WikiTransientException e) when (attempt < _options.MaxRetries)
            {
                // A timeout, a dropped connection or a 5xx may come after the wiki did the work.
                trace?.RetriedAfterUnknownOutcome = true;
                await WaitBeforeRetryAsync(e, ++attempt, action, cancellationToken);
                continue;
            }

            var error = ReadError(root);
            if (error is null)
                return root;

            if (IsSessionLost(error.Code) && kind != CallKind.Session && !relogged)
            {
                // The wiki forgot our session (expired, cookies lost): log in once more and repeat the call.
                relogged = true;
                _log.LogWarning("The wiki lost WikiSync's session during {Action} ({Code}); logging in again", action, error.Code);
                await ReloginAsync(generation, cancellationToken);
                continue;
            }
            if (error.Code == "badtoken" && kind == CallKind.Write && !tokenRefreshed)
            {
                tokenRefreshed = true;
                _log.LogWarning("The wiki refused the edit token during {Action}; fetching a new one", action);
                Interlocked.CompareExchange(ref _csrfToken, null, token);
                continue;
            }

            var exception = ToException(error, title, retryAfter);
            if (exception is WikiTransientException transient && attempt < _options.MaxRetries)
            {
                await WaitBeforeRetryAsync(transient, ++attempt, action, cancellationToken);
                continue;
            }
            throw exception;
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
                throw new WikiUnavailableException($"http{status}", $"The wiki answered HTTP {status} ({response.ReasonPhrase}) to {action}.", retryAfter);
            if (!response.IsSuccessStatusCode)
                throw new WikiApiException($"http{status}", $"The wiki answered HTTP {status} ({response.ReasonPhrase}) to {action}; is {Redact.Url(_options.ApiUrl)} the wiki's api.php?");
            await using var stream = await response.Content.ReadAsStreamAsync(linked.Token);
            using var document = await JsonDocument.ParseAsync(stream, default, linked.Token);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new JsonException("not an object");
            return (document.RootElement.Clone(), retryAfter);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WikiUnavailableException("timeout", $"The wiki did not answer {action} within {_options.RequestTimeout.TotalSeconds:0.#} s.", null, e);
        }
        catch (IOException e)
        {
            // The connection broke while the answer was being read (HttpIOException).
            throw new WikiUnavailableException("connection", $"The connection to the wiki broke during {action}: {Redact.Text(e.Message)}", null, e);
        }
        catch (HttpRequestException e)
        {
            throw new WikiUnavailableException("connection", $"Could not reach the wiki at {Redact.Url(_options.ApiUrl)} for {action}: {Redact.Text(e.Message)}", null, e);
        }
        catch (JsonException e)
        {
            throw new WikiUnavailableException("badresponse", $"The wiki's answer to {action} was not the API's JSON; is {Redact.Url(_options.ApiUrl)} the wiki's api.php?", null, e);
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

    private async Task WaitBeforeRetryAsync(WikiTransientException reason, int attempt, string action, CancellationToken cancellationToken)
    {
        var backoff = _options.RetryBaseDelay * Math.Pow(2, attempt - 1);
        // Never sooner than the server asked; never longer than the configured bound.
        var delay = reason.RetryAfter is { } asked && asked > backoff ? asked : backoff;
        if (delay > _options.MaxRetryDelay)
            delay = _options.MaxRetryDelay;
        _log.LogWarning(
            "Wiki request {Action} failed ({Code}); try {Attempt} of {MaxRetries} again in {DelaySeconds} s",
            action, reason.Code, attempt, _options.MaxRetries, delay.TotalSeconds);
        _options.OnRetry?.Invoke(reason.Code);
        await Task.Delay(delay, _time, cancellationToken);
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

    private static WikiApiException ToException(ApiError error, string? title, TimeSpan? retryAfter)
    {
        var page = title ?? "";
        var info = error.Info.Length > 0 ? error.Info : error.Code;
        return error.Code switch
        {
            "editconflict" => new EditConflictException(page),
            "maxlag" => new MaxLagException(info, retryAfter),
            "ratelimited" => new RateLimitedException(info, retryAfter),
            "readonly" => new ReadOnlyException(info, retryAfter),
            "protectedpage" or "cascadeprotected" or "protectednamespace" or "protectednamespace-interface"
                or "protectedtitle" or "customcssprotected" or "customjsprotected" or "customjsonprotected"
                or "sitecssprotected" or "sitejsprotected" or "sitejsonprotected" or "mycssjsredirect"
                => new ProtectedPageException(page, error.Code, info),
            "blocked" or "autoblocked" or "systemblocked" or "blockedtext" or "globalblocking-blockedtext"
                => new BlockedException(page, error.Code, info),
            "spamblacklist" or "spamdetected" => new SpamBlacklistException(page, info),
            "contenttoobig" => new ContentTooBigException(page, info),
            "missingtitle" or "nocreate-missing" => new MissingTitleException(page),
            "articleexists" => new ArticleExistsException(page),
            "invalidtitle" => new InvalidTitleException(new Dictionary<string, string> { [page] = info }),
            "assertuserfailed" or "assertbotfailed" or "assertnameduserfailed" or "notloggedin"
                => new WikiLoginException(error.Code, $"The wiki does not recognise WikiSync's login even after logging in again ({info}). Check that the bot password is still valid."),
            "badtoken" => new WikiApiException(error.Code, $"The wiki refused WikiSync's edit token twice in a row ({info})."),
            "permissiondenied" or "writeapidenied" or "noedit" or "noedit-anon" or "cantcreate" or "cantcreate-anon" or "mwoauth-invalid-authorization"
                => new WikiApiException(error.Code, $"WikiSync's account may not do this{For(page)} ({info}). Check the groups of the account and the grants of its bot password (edit existing pages, create pages)."),
            _ when error.Code.StartsWith("abusefilter-", StringComparison.Ordinal) => new AbuseFilterException(page, error.Code, info),
            // A busy SQLite or database server: the same request may well succeed a moment later.
            _ when error.Code.StartsWith("internal_api_error_DB", StringComparison.Ordinal)
                => new WikiUnavailableException(error.Code, $"The wiki had a database error{For(page)}: {info}", retryAfter),
            _ => new WikiApiException(error.Code, $"The wiki refused the request{For(page)}: {info} ({error.Code})."),
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
            if (!_loggedIn)
                await LoginCoreAsync(cancellationToken);
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
                await LoginCoreAsync(cancellationToken);
        }
        finally
        {
            _sessionLock.Release();
        }
    }

    private async Task LoginCoreAsync(CancellationToken cancellationToken)
    {
        // A session lost right after a successful login (cookies dropped once on the way) is a blip; only a
        // second loss in a row means the wiki's cookie settings are wrong.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await LoginOnceAsync(cancellationToken);
                return;
            }
            catch (WikiLoginException e) when (e.Code == SessionNotKept && attempt < 2)
            {
                _log.LogWarning("The wiki did not keep WikiSync's session right after the login; logging in once more");
            }
        }
    }

    /// <summary>The code of a login the wiki accepted but whose session it then did not keep.</summary>
    internal const string SessionNotKept = "sessionnotkept";

    private async Task LoginOnceAsync(CancellationToken cancellationToken)
    {
        if (!HasAccount)
            throw new WikiLoginException("nologin", "No wiki account is configured (WIKISYNC_WIKI_USER and WIKISYNC_WIKI_PASSWORD).");
        _loggedIn = false;
        _csrfToken = null;
        _cookies = new CookieContainer();
        var user = _options.User;
        for (var round = 0; ; round++)
        {
            var tokens = await CallAsync([new("action", "query"), new("meta", "tokens"), new("type", "login")], CallKind.Session, null, cancellationToken);
            var loginToken = tokens.GetProperty("query").GetProperty("tokens").GetProperty("logintoken").GetString() ?? "";
            var root = await CallAsync(
                [new("action", "login"), new("lgname", user), new("lgpassword", _options.Password), new("lgtoken", loginToken)],
                CallKind.Session, null, cancellationToken);
            var login = root.GetProperty("login");
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
                    throw new WikiLoginException("throttled", $"The wiki refused the login of \"{user}\" for now after too many attempts: {reason}");
                default:
                    var hint = user.Contains('@', StringComparison.Ordinal)
                        ? " Check WIKISYNC_WIKI_USER and WIKISYNC_WIKI_PASSWORD against the wiki's Special:BotPasswords."
                        : " WikiSync logs in with a bot password: the user name looks like \"Account@BotName\".";
                    throw new WikiLoginException("loginfailed", $"The wiki refused the login of \"{user}\" ({result}): {reason}{hint}");
            }
            break;
        }

        // One question for the whole session: may this account read 500 titles a request?
        var userInfo = ReadUserInfo(await CallAsync([new("action", "query"), new("meta", "userinfo"), new("uiprop", "groups|rights")], CallKind.Session, null, cancellationToken));
        if (userInfo.IsAnonymous)
            throw new WikiLoginException(SessionNotKept, $"The wiki accepted the login of \"{user}\" but does not keep the session (its cookies are not coming back); check the wiki's cookie settings.");
        _batchSize = userInfo.HasRight("apihighlimits") ? HighLimit : LowLimit;
        _userName = userInfo.Name;
        Interlocked.Increment(ref _sessionGeneration);
        _loggedIn = true;
        _log.LogInformation("Logged in to {Api} as {User}; {BatchSize} titles a read", Redact.Url(_options.ApiUrl), userInfo.Name, _batchSize);
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

    private static WikiLoginException MainAccountRefused(string user) => new(
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
