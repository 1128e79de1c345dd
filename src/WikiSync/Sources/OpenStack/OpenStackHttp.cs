using System.Net;
using System.Text.Json;
using WikiSync.Redaction;

namespace WikiSync.Sources.OpenStack;

/// <summary>
/// Sends one request with the configured timeout and turns every transport problem into a
/// <see cref="SourceException"/> that names the service and the reason. Never puts a header or a
/// body in a message, so no token or secret can leak through an error.
/// </summary>
internal sealed class OpenStackHttp(HttpClient http, TimeProvider time, TimeSpan timeout, long maxResponseBytes)
{
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string service, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        HttpResponseMessage? response = null;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (response.Content.Headers.ContentLength > maxResponseBytes)
                throw TooBig(request, service);
            // Buffer the body under the same timeout, so a server that stalls mid-body is caught too, and
            // under the size cap, so one without a Content-Length cannot fill the memory either.
            await response.Content.LoadIntoBufferAsync(maxResponseBytes, linked.Token);
            return response;
        }
        catch (HttpRequestException) when (response is not null && !cancellationToken.IsCancellationRequested)
        {
            // LoadIntoBufferAsync's only refusal once the headers are in: the body passed the cap.
            response.Dispose();
            throw TooBig(request, service);
        }
        catch (SourceException)
        {
            response?.Dispose();
            throw;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SourceException($"{service} at {Where(request)} did not answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            throw new SourceException($"{service} at {Where(request)} is unreachable: {Redact.Text(e.Message)}", e);
        }
    }

    private SourceException TooBig(HttpRequestMessage request, string service) =>
        new($"{service} at {Where(request)} answered more than {maxResponseBytes} bytes (openstack.max_response_bytes); not read");

    public static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string service, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonDocument.ParseAsync(body, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new SourceException($"{service} at {Where(response.RequestMessage)} answered with JSON that cannot be read ({e.Message})", e);
        }
    }

    /// <summary>"answered 503 Service Unavailable: message" from an OpenStack error body, if it has one.</summary>
    public static async Task<string> DescribeFailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = $"answered {(int)response.StatusCode} {ReasonOf(response)}";
        if ((int)response.StatusCode is >= 300 and < 400)
            return $"{text}, a redirect to {Redact.Url(response.Headers.Location?.ToString() ?? "(no Location)")} that is not followed: the token goes only to the endpoints of Keystone's catalog";
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var doc = JsonDocument.Parse(body);
            // Keystone: {"error": {"message": ...}}; Nova: {"itemNotFound": {"message": ...}}.
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Object
                        && property.Value.TryGetProperty("message", out var message)
                        && message.ValueKind == JsonValueKind.String)
                    {
                        var m = message.GetString() ?? "";
                        return $"{text}: {(m.Length > 300 ? m[..300] + "…" : m)}";
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not an OpenStack error body (a proxy's HTML page, say): the status says enough.
        }
        return text;
    }

    private static string ReasonOf(HttpResponseMessage response) =>
        string.IsNullOrEmpty(response.ReasonPhrase) ? response.StatusCode.ToString() : response.ReasonPhrase;

    /// <summary>The URL without its query (a query never carries a secret here, but stays short) nor its user info.</summary>
    public static string Where(HttpRequestMessage? request) =>
        request?.RequestUri is { } uri ? Redact.Url(uri.GetLeftPart(UriPartial.Path)) : "(unknown URL)";

    public static bool IsUnauthorized(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.Unauthorized;
}
