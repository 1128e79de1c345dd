using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using WikiSync.Configuration;

namespace WikiSync.AdminLog;

/// <summary>
/// <c>POST /log</c> on the HTTP port of <c>wikisync run</c>: a bearer token from configuration, a JSON body
/// <c>{"project": "...", "message": "...", "author": "...", "id": "optional idempotency key"}</c> (or a form with
/// those fields), and the same
/// intake as IRC and the CLI. Answers <c>{"outcome": ..., "reply": ..., "id": ...}</c> with 200 when logged,
/// 400/404 for a bad entry (<see cref="LogEntryBounds"/>), 413 for a body over 64 KB (chunked or not), 409 for an
/// idempotency key reused with another project or message, 401 without the right token. The hosting room maps it:
/// <c>app.MapPost("/log", LogHttpEndpoint.Handler(token))</c>.
/// </summary>
public static class LogHttpEndpoint
{
    private const int MaxBodyBytes = 64 * 1024;

    public static RequestDelegate Handler(string? token) => context => HandleAsync(context, token);

    public static async Task HandleAsync(HttpContext context, string? token)
    {
        var cancellationToken = context.RequestAborted;
        if (!BearerToken.Matches(context.Request.Headers.Authorization.ToString(), token))
        {
            // No token configured means the endpoint is closed, not open.
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteAsync(context, StatusCodes.Status401Unauthorized, new Answer("unauthorized", "A valid bearer token is required.", null), cancellationToken);
            return;
        }

        if (context.RequestServices.GetService(typeof(LogIntake)) is not LogIntake intake)
        {
            // Checked after the token, so an anonymous caller learns nothing about this node.
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new Answer("unavailable", "The Server Admin Log is not configured on this node.", null), cancellationToken);
            return;
        }

        Body? body;
        try
        {
            // Counted as read, not taken from Content-Length: a chunked body announces no length.
            if (context.Request.ContentLength > MaxBodyBytes || !await BufferBodyAsync(context.Request, cancellationToken))
            {
                await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, new Answer("invalid", "The body is larger than 64 KB.", null), cancellationToken);
                return;
            }

            if (context.Request.HasFormContentType)
            {
                var form = await context.Request.ReadFormAsync(cancellationToken);
                body = new Body(form["project"], form["message"], form["author"], form["id"]);
            }
            else
            {
                body = await JsonSerializer.DeserializeAsync<Body>(context.Request.Body, JsonOptions, cancellationToken);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, new Answer("invalid", $"The body is not the expected JSON: {e.Message}", null), cancellationToken);
            return;
        }

        if (body is null || string.IsNullOrWhiteSpace(body.Project))
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, new Answer("invalid", "Field \"project\" is required.", null), cancellationToken);
            return;
        }

        if (!string.IsNullOrWhiteSpace(body.Id) && LogEntryBounds.CheckKey(body.Id) is { } badKey)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, new Answer("invalid", badKey, null), cancellationToken);
            return;
        }

        var result = await intake.SubmitAsync(
            new LogSubmission(body.Project, body.Message ?? "", body.Author ?? "http", "http", string.IsNullOrWhiteSpace(body.Id) ? null : "http:" + body.Id),
            cancellationToken);
        var status = result.Outcome switch
        {
            LogOutcome.Logged => StatusCodes.Status200OK,
            LogOutcome.UnknownProject => StatusCodes.Status404NotFound,
            LogOutcome.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        await WriteAsync(context, status, new Answer(result.Outcome.ToString().ToLowerInvariant(), result.Reply, result.Entry?.Id), cancellationToken);
    }

    /// <summary>Reads at most <see cref="MaxBodyBytes"/> into memory and puts it back as the body; false when there is more.</summary>
    private static async Task<bool> BufferBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > MaxBodyBytes)
        {
            return false;
        }

        request.Body = new MemoryStream(buffer, 0, length, writable: false);
        return true;
    }

    private static async Task WriteAsync(HttpContext context, int status, Answer answer, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, answer, JsonOptions, cancellationToken);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record Body(string? Project, string? Message, string? Author, string? Id);

    private sealed record Answer(string Outcome, string Reply, long? Id);
}
