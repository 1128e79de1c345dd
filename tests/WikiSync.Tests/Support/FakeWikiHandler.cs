using System.Net;
using System.Text;
using System.Text.Json;

namespace WikiSync.Tests.Support;

/// <summary>One request as the fake wiki received it: the form fields in the order they were sent.</summary>
public sealed record FakeApiRequest(IReadOnlyList<KeyValuePair<string, string>> Form, string? Cookie, string? UserAgent)
{
    public string? this[string key] => Form.FirstOrDefault(p => p.Key == key).Value;

    public string Action => this["action"] ?? "";

    public bool Has(string key, string value) => this[key] == value;

    public bool IsQueryOf(string prop) => Action == "query" && this["prop"] == prop;

    public bool IsEdit => Action == "edit";
}

/// <summary>
/// A scripted MediaWiki Action API. It answers login, tokens and user info by itself (a session cookie,
/// a login token, a CSRF token that changes on each fetch, the rights in <see cref="Rights"/>); tests add
/// rules with <see cref="On"/> for everything else. A request no rule matches gets HTTP 400.
/// </summary>
public sealed class FakeWikiHandler : HttpMessageHandler
{
    private readonly List<Rule> _rules = [];
    private readonly List<FakeApiRequest> _requests = [];
    private readonly Lock _lock = new();
    private int _csrfFetches;
    private int _logins;

    public string Password { get; set; } = "0123456789abcdefghijklmnopqrstuv";

    public string UserName { get; set; } = "WikiSyncBot";

    public List<string> Rights { get; } = ["read", "edit", "createpage", "bot"];

    /// <summary>Replaces the answer to action=login (the default checks the password and the login token).</summary>
    public Func<FakeApiRequest, HttpResponseMessage>? LoginAnswer { get; set; }

    public IReadOnlyList<FakeApiRequest> Requests
    {
        get
        {
            lock (_lock)
                return [.. _requests];
        }
    }

    public int CsrfFetches => Volatile.Read(ref _csrfFetches);

    public int Logins => Volatile.Read(ref _logins);

    /// <summary>The CSRF token handed out last; a fresh one per fetch, like a new session's.</summary>
    public string CurrentCsrfToken => $"csrf{CsrfFetches}+\\";

    public IEnumerable<FakeApiRequest> Edits => Requests.Where(r => r.IsEdit);

    public IEnumerable<FakeApiRequest> Reads => Requests.Where(r => r.IsQueryOf("revisions"));

    /// <summary>Answers matching requests with <paramref name="answer"/>, at most <paramref name="times"/> times.</summary>
    public FakeWikiHandler On(Func<FakeApiRequest, bool> match, Func<FakeApiRequest, HttpResponseMessage> answer, int times = int.MaxValue)
    {
        lock (_lock)
            _rules.Add(new Rule(match, answer, times));
        return this;
    }

    public FakeWikiHandler OnAsync(Func<FakeApiRequest, bool> match, Func<FakeApiRequest, CancellationToken, Task<HttpResponseMessage>> answer, int times = int.MaxValue)
    {
        lock (_lock)
            _rules.Add(new Rule(match, r => throw new InvalidOperationException("async rule"), times) { Async = answer });
        return this;
    }

    public static HttpResponseMessage Json(object body, HttpStatusCode status = HttpStatusCode.OK, TimeSpan? retryAfter = null)
    {
        var json = body as string ?? JsonSerializer.Serialize(body);
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (retryAfter is { } wait)
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        return response;
    }

    /// <summary>An API error as MediaWiki sends it with errorformat=plaintext.</summary>
    public static HttpResponseMessage Error(string code, string text = "refused", TimeSpan? retryAfter = null)
    {
        var response = Json(new { errors = new[] { new { code, text, module = "main" } } }, HttpStatusCode.OK, retryAfter);
        response.Headers.Add("MediaWiki-API-Error", code);
        return response;
    }

    public static HttpResponseMessage EditSuccess(string title, long revision = 100, string timestamp = "2024-05-01T10:00:00Z") =>
        Json(new { edit = new { result = "Success", title, newrevid = revision, newtimestamp = timestamp } });

    public static HttpResponseMessage NoChange(string title) =>
        Json(new { edit = new { result = "Success", title, nochange = true } });

    /// <summary>prop=revisions answer: each title either exists with text "text of TITLE" or is missing.</summary>
    public static HttpResponseMessage Pages(FakeApiRequest request, Func<string, string?>? textOf = null, Func<string, string>? normalize = null)
    {
        normalize ??= t => t;
        textOf ??= t => $"text of {t}";
        var raw = request["titles"] ?? "";
        var asked = raw.StartsWith('\u001f') ? raw[1..].Split('\u001f') : raw.Split('|');
        var normalized = asked.Where(t => normalize(t) != t).Select(t => new { fromencoded = false, from = t, to = normalize(t) }).ToArray();
        var pages = asked.Select(normalize).Distinct().Select(t => textOf(t) is { } text
            ? (object)new
            {
                pageid = 1,
                ns = 0,
                title = t,
                revisions = new[] { new { revid = 7, parentid = 6, timestamp = "2024-05-01T09:00:00Z", slots = new { main = new { contentmodel = "wikitext", content = text } } } },
            }
            : new { ns = 0, title = t, missing = true }).ToArray();
        return Json(new { batchcomplete = true, curtimestamp = "2024-05-01T09:30:00Z", query = new { normalized, pages } });
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(WebUtility.UrlDecode(p[0]), WebUtility.UrlDecode(p.Length > 1 ? p[1] : "")))
            .ToList();
        var api = new FakeApiRequest(
            form,
            request.Headers.TryGetValues("Cookie", out var cookies) ? string.Join("; ", cookies) : null,
            request.Headers.TryGetValues("User-Agent", out var agents) ? string.Join(" ", agents) : null);
        Rule? rule;
        lock (_lock)
        {
            _requests.Add(api);
            rule = _rules.FirstOrDefault(r => r.Times > 0 && r.Match(api));
            if (rule is not null)
                rule.Times--;
        }
        if (rule is not null)
            return rule.Async is { } async ? await async(api, cancellationToken) : rule.Answer(api);
        return Builtin(api);
    }

    private HttpResponseMessage Builtin(FakeApiRequest r)
    {
        if (r.Action == "query" && r["meta"] == "tokens" && r["type"] == "login")
        {
            var response = Json(new { query = new { tokens = new { logintoken = "login-token+\\" } } });
            response.Headers.Add("Set-Cookie", "wiki_session=s1; path=/; HttpOnly");
            return response;
        }
        if (r.Action == "login")
        {
            Interlocked.Increment(ref _logins);
            if (LoginAnswer is { } answer)
                return answer(r);
            if (r["lgtoken"] != "login-token+\\" || r.Cookie?.Contains("wiki_session=s1", StringComparison.Ordinal) != true)
                return Json(new { login = new { result = "WrongToken" } });
            if (r["lgpassword"] != Password)
                return Json(new { login = new { result = "Failed", reason = "Incorrect username or password entered. Please try again." } });
            var response = Json(new { login = new { result = "Success", lguserid = 3, lgusername = UserName } });
            response.Headers.Add("Set-Cookie", "wiki_session=logged-in; path=/; HttpOnly");
            return response;
        }
        if (r.Action == "query" && r["meta"] == "tokens")
        {
            var n = Interlocked.Increment(ref _csrfFetches);
            return Json(new { query = new { tokens = new { csrftoken = $"csrf{n}+\\" } } });
        }
        if (r.Action == "query" && r["meta"] == "userinfo")
        {
            lock (_lock)
                return Json(new { query = new { userinfo = new { id = 3, name = UserName, groups = new[] { "bot", "user" }, rights = Rights.ToArray() } } });
        }
        return Json(new { error = "no rule for this request" }, HttpStatusCode.BadRequest);
    }

    private sealed class Rule(Func<FakeApiRequest, bool> match, Func<FakeApiRequest, HttpResponseMessage> answer, int times)
    {
        public Func<FakeApiRequest, bool> Match { get; } = match;

        public Func<FakeApiRequest, HttpResponseMessage> Answer { get; } = answer;

        public Func<FakeApiRequest, CancellationToken, Task<HttpResponseMessage>>? Async { get; init; }

        public int Times { get; set; } = times;
    }
}
