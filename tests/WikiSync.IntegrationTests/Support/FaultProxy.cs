using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace WikiSync.IntegrationTests.Support;

/// <summary>The faults the proxy can put between WikiSync and the wiki.</summary>
public enum FaultKind
{
    /// <summary>HTTP 200 with the API's maxlag error, Retry-After and X-Database-Lag; not forwarded.</summary>
    Maxlag,
    /// <summary>HTTP 200 with the API's ratelimited error; not forwarded.</summary>
    RateLimited,
    /// <summary>HTTP 200 with the API's readonly error; not forwarded.</summary>
    ReadOnly,
    Http500,
    Http502,
    Http503,
    /// <summary>Forwarded, but the answer is held back for <see cref="FaultProxy.SlowDelay"/> (past the client's timeout).</summary>
    Slow,
    /// <summary>The connection is closed without an answer; not forwarded.</summary>
    Drop,
    /// <summary>Forwarded without the Cookie header, so the wiki sees an anonymous request (assert=user fails).</summary>
    LostSession,
    /// <summary>Forwarded with the CSRF token rewritten, so the wiki answers badtoken.</summary>
    BadToken,
}

/// <summary>What the proxy knows of one request when it decides on a fault.</summary>
public sealed record ProxyRequest(string Method, string Path, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Action => Parameters.GetValueOrDefault("action");

    public string? Title => Parameters.GetValueOrDefault("title");

    /// <summary>A write to the wiki: an API POST that is not a login or a read.</summary>
    public bool IsWrite => Method == "POST" && Action is not null and not "login" and not "query" and not "parse" and not "clientlogin";

    /// <summary>Requests with the same signature are retries of each other (used to count recoveries).</summary>
    public string Signature => $"{Action ?? Path}:{Title}";
}

/// <summary>One request the proxy forwarded and the wiki's answer, with when the answer came.</summary>
public sealed record ProxyExchange(ProxyRequest Request, int Status, byte[] Answer, DateTimeOffset At, FaultKind? Fault)
{
    /// <summary>The text of an edit the wiki saved (answered 200 with "Success", no fault injected); null for anything else.</summary>
    public string? SavedText =>
        Request.Action == "edit" && Status == 200 && Fault is null
        && System.Text.Encoding.UTF8.GetString(Answer).Contains("\"Success\"", StringComparison.Ordinal)
            ? Request.Parameters.GetValueOrDefault("text")
            : null;
}

/// <summary>One injected fault, for the test's log.</summary>
public sealed record InjectedFault(FaultKind Kind, string Signature, DateTimeOffset At);

/// <summary>
/// A loopback HTTP reverse proxy of the test suite's own, between WikiSync and the local wiki. It counts
/// every request and injects the faults a real wiki produces, on a schedule (<see cref="Schedule"/>) or at
/// random with a seed (<see cref="InjectRandomly"/>). With no faults planned it is a request counter.
/// A fault is "recovered" when a later request with the same signature (action and title) gets an answer
/// without an API error.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Host", "Content-Length",
    };

    private readonly Uri _upstream;
    private readonly HttpClient _client;
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly Queue<FaultKind> _scheduled = new();
    private readonly ConcurrentDictionary<string, int> _requestsByAction = new();
    private readonly ConcurrentDictionary<FaultKind, int> _injected = new();
    private readonly ConcurrentDictionary<FaultKind, int> _recovered = new();
    private readonly Dictionary<string, List<FaultKind>> _pending = [];
    private readonly ConcurrentQueue<InjectedFault> _log = new();
    private Random? _random;
    private double _probability;
    private FaultKind[] _randomKinds = [];
    private int _requests;
    private int _maxFaults = int.MaxValue;

    private FaultProxy(Uri upstream, WebApplication app)
    {
        _upstream = upstream;
        _app = app;
        _client = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        })
        { Timeout = TimeSpan.FromMinutes(5) };
    }

    /// <summary>The proxy's base address, e.g. http://127.0.0.1:8195/ .</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Rewrites a URL of the upstream (e.g. the api.php URL) to go through the proxy.</summary>
    public Uri Rewrite(Uri upstreamUrl) => new(Address, upstreamUrl.PathAndQuery);

    /// <summary>Which requests may get a fault. Default: writes (see <see cref="ProxyRequest.IsWrite"/>).</summary>
    public Func<ProxyRequest, bool> Eligible { get; set; } = r => r.IsWrite;

    /// <summary>While true every request gets HTTP 503, as from a wiki that is down (not counted as faults).</summary>
    public bool Outage { get; set; }

    /// <summary>How long a <see cref="FaultKind.Slow"/> answer is held back.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Retry-After the error answers carry (MediaWiki sends at least 5 for maxlag; tests want less).</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Whether ratelimited and readonly answers carry Retry-After too (MediaWiki itself sends it only for maxlag).</summary>
    public bool RetryAfterOnAllErrors { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public IReadOnlyDictionary<string, int> RequestsByAction => new Dictionary<string, int>(_requestsByAction);

    public IReadOnlyDictionary<FaultKind, int> Injected => new Dictionary<FaultKind, int>(_injected);

    public IReadOnlyDictionary<FaultKind, int> Recovered => new Dictionary<FaultKind, int>(_recovered);

    public int InjectedTotal => _injected.Values.Sum();

    public int RecoveredTotal => _recovered.Values.Sum();

    public IReadOnlyList<InjectedFault> Log => [.. _log];

    /// <summary>Called for every answer the wiki gave (before a slow answer is held back), e.g. to time saves.</summary>
    public event Action<ProxyExchange>? Exchanged;

    /// <summary>Starts a proxy in front of <paramref name="upstream"/> (scheme://host:port) on 127.0.0.1; port 0 picks a free one.</summary>
    public static async Task<FaultProxy> StartAsync(Uri upstream, int port = 0, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        var proxy = new FaultProxy(new Uri(upstream.GetLeftPart(UriPartial.Authority)), app);
        app.Run(proxy.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Urls.First();
        proxy.Address = new Uri(address.EndsWith('/') ? address : address + "/");
        return proxy;
    }

    /// <summary>The next eligible requests get these faults, one each, in this order.</summary>
    public void Schedule(params FaultKind[] kinds)
    {
        lock (_gate)
        {
            foreach (var kind in kinds)
                _scheduled.Enqueue(kind);
        }
    }

    /// <summary>Each eligible request gets, with <paramref name="probability"/>, one of <paramref name="kinds"/>; reproducible by seed.</summary>
    public void InjectRandomly(double probability, int seed, IReadOnlyList<FaultKind> kinds, int maxFaults = int.MaxValue)
    {
        lock (_gate)
        {
            _random = new Random(seed);
            _probability = probability;
            _randomKinds = [.. kinds];
            _maxFaults = maxFaults;
        }
    }

    /// <summary>No more faults; counters are kept.</summary>
    public void StopFaults()
    {
        lock (_gate)
        {
            _scheduled.Clear();
            _random = null;
        }
    }

    /// <summary>Zeroes every counter (faults planned are kept).</summary>
    public void ResetCounters()
    {
        Interlocked.Exchange(ref _requests, 0);
        _requestsByAction.Clear();
        _injected.Clear();
        _recovered.Clear();
        _log.Clear();
        lock (_gate)
            _pending.Clear();
    }

    /// <summary>Faults injected whose request was never retried successfully.</summary>
    public int Unrecovered
    {
        get
        {
            lock (_gate)
                return _pending.Values.Sum(l => l.Count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }

    private FaultKind? Decide(ProxyRequest request)
    {
        if (!Eligible(request))
            return null;
        lock (_gate)
        {
            if (_scheduled.Count > 0)
                return _scheduled.Dequeue();
            if (_random is not null && _randomKinds.Length > 0 && InjectedTotal < _maxFaults && _random.NextDouble() < _probability)
                return _randomKinds[_random.Next(_randomKinds.Length)];
        }
        return null;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var body = await ReadBodyAsync(context.Request, ct);
        var request = new ProxyRequest(context.Request.Method, context.Request.Path.Value ?? "/",
            await ParametersAsync(context.Request, body, ct));
        Interlocked.Increment(ref _requests);
        _requestsByAction.AddOrUpdate(request.Action ?? request.Path, 1, (_, n) => n + 1);

        if (Outage)
        {
            context.Response.StatusCode = 503;
            return;
        }

        var fault = Decide(request);
        if (fault is { } kind)
        {
            _injected.AddOrUpdate(kind, 1, (_, n) => n + 1);
            _log.Enqueue(new InjectedFault(kind, request.Signature, DateTimeOffset.UtcNow));
            lock (_gate)
            {
                if (!_pending.TryGetValue(request.Signature, out var list))
                    _pending[request.Signature] = list = [];
                list.Add(kind);
            }
        }

        switch (fault)
        {
            case FaultKind.Maxlag:
                await WriteApiErrorAsync(context, "maxlag", "Waiting for 127.0.0.1: 3 seconds lagged.", maxlag: true);
                return;
            case FaultKind.RateLimited:
                await WriteApiErrorAsync(context, "ratelimited", "You've exceeded your rate limit. Please wait some time and try again.");
                return;
            case FaultKind.ReadOnly:
                await WriteApiErrorAsync(context, "readonly", "The wiki is currently in read-only mode.");
                return;
            case FaultKind.Http500 or FaultKind.Http502 or FaultKind.Http503:
                context.Response.StatusCode = fault switch { FaultKind.Http500 => 500, FaultKind.Http502 => 502, _ => 503 };
                if (fault == FaultKind.Http503)
                    context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync($"<html><body>Injected HTTP {context.Response.StatusCode}</body></html>", ct);
                return;
            case FaultKind.Drop:
                context.Abort();
                return;
        }

        if (fault == FaultKind.BadToken)
            body = RewriteToken(context.Request.ContentType, body);

        using var upstream = new HttpRequestMessage(new HttpMethod(context.Request.Method),
            new Uri(_upstream, context.Request.Path.Value + context.Request.QueryString.Value));
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name) || name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                continue;
            if (fault == FaultKind.LostSession && name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
                continue;
            upstream.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        if (body.Length > 0 || context.Request.ContentType is not null)
        {
            upstream.Content = new ByteArrayContent(body);
            foreach (var (name, values) in context.Request.Headers)
                if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    upstream.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
        }

        HttpResponseMessage response;
        byte[] answer;
        try
        {
            // Not tied to the client's cancellation: a slow or abandoned request still reaches the wiki, as it would.
            response = await _client.SendAsync(upstream, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
            answer = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = 502;
            return;
        }
        using (response)
        {
            Exchanged?.Invoke(new ProxyExchange(request, (int)response.StatusCode, answer, DateTimeOffset.UtcNow, fault));
            if (fault is null)
                NoteSuccess(request, response, answer);
            if (fault == FaultKind.Slow)
            {
                try
                {
                    await Task.Delay(SlowDelay, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (HopByHop.Contains(name))
                    continue;
                context.Response.Headers.Append(name, values.ToArray());
            }
            context.Response.ContentLength = answer.Length;
            try
            {
                await context.Response.Body.WriteAsync(answer, ct);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private void NoteSuccess(ProxyRequest request, HttpResponseMessage response, byte[] answer)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(request.Signature, out var kinds))
                return;
            if (!response.IsSuccessStatusCode || HasApiError(answer))
                return;
            foreach (var kind in kinds)
                _recovered.AddOrUpdate(kind, 1, (_, n) => n + 1);
            _pending.Remove(request.Signature);
        }
    }

    private static bool HasApiError(byte[] answer)
    {
        try
        {
            using var doc = JsonDocument.Parse(answer);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task WriteApiErrorAsync(HttpContext context, string code, string info, bool maxlag = false)
    {
        // The shape MediaWiki's ApiMain produces (formatversion=2 style docref, servedby).
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers["MediaWiki-API-Error"] = code;
        if (maxlag || RetryAfterOnAllErrors)
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var error = new Dictionary<string, object>
        {
            ["code"] = code,
            ["info"] = info,
            ["docref"] = "See http://127.0.0.1/api.php for API usage.",
        };
        if (maxlag)
        {
            context.Response.Headers["X-Database-Lag"] = "3 seconds lagged";
            error["host"] = "127.0.0.1";
            error["lag"] = 3;
            error["type"] = "db";
        }
        if (code == "readonly")
            error["readonlyreason"] = "Injected by the test suite's fault proxy.";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { error, servedby = "faultproxy" }), context.RequestAborted);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private static async Task<IReadOnlyDictionary<string, string>> ParametersAsync(HttpRequest request, byte[] body, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
            result[key] = value.ToString();
        var type = request.ContentType ?? "";
        if (type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
                result[key] = value.ToString();
        }
        else if (type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) && Boundary(type) is { } boundary)
        {
            var reader = new MultipartReader(boundary, new MemoryStream(body));
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                var disposition = section.GetContentDispositionHeader();
                if (disposition?.Name.Value is not { } name)
                    continue;
                using var text = new StreamReader(section.Body, Encoding.UTF8);
                result[name.Trim('"')] = await text.ReadToEndAsync(ct);
            }
        }
        return result;
    }

    private static string? Boundary(string contentType)
    {
        const string key = "boundary=";
        var at = contentType.IndexOf(key, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? null : contentType[(at + key.Length)..].Split(';')[0].Trim().Trim('"');
    }

    /// <summary>Replaces the token's value in a form body with one the wiki does not know.</summary>
    internal static byte[] RewriteToken(string? contentType, byte[] body)
    {
        const string bad = "0123456789abcdef0123456789abcdef+\\";
        var type = contentType ?? "";
        if (type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var pairs = Encoding.UTF8.GetString(body).Split('&');
            for (var i = 0; i < pairs.Length; i++)
                if (pairs[i].StartsWith("token=", StringComparison.Ordinal))
                    pairs[i] = "token=" + Uri.EscapeDataString(bad);
            return Encoding.UTF8.GetBytes(string.Join('&', pairs));
        }
        if (type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) && Boundary(type) is { } boundary)
        {
            // Latin-1 maps bytes 1:1, so every other part stays byte-identical.
            var text = Encoding.Latin1.GetString(body);
            // .NET writes name=token unquoted, browsers and PHP clients name="token".
            var match = System.Text.RegularExpressions.Regex.Match(text, "name=\"?token\"?(;|\r\n)");
            if (match.Success)
            {
                var start = text.IndexOf("\r\n\r\n", match.Index, StringComparison.Ordinal) + 4;
                var end = text.IndexOf("\r\n--" + boundary, start, StringComparison.Ordinal);
                if (start >= 4 && end > start)
                    text = string.Concat(text.AsSpan(0, start), bad, text.AsSpan(end));
            }
            return Encoding.Latin1.GetBytes(text);
        }
        return body;
    }
}
