using Microsoft.AspNetCore.Http;

namespace WikiSync.Hosting;

/// <summary>
/// Answers only requests addressed to this machine by name (127.0.0.1, [::1], localhost, any port) or to the
/// configured public host name. A page of another site whose name was re-pointed at 127.0.0.1 (DNS rebinding)
/// sends its own name as <c>Host</c> and is refused before any route runs, reads included.
/// </summary>
public static class HostCheck
{
    public static bool Allowed(string? host, string? publicHost)
    {
        if (string.IsNullOrEmpty(host))
            return false;
        var name = HostString.FromUriComponent(host).Host;
        return name.Equals("127.0.0.1", StringComparison.Ordinal)
            || name.Equals("[::1]", StringComparison.Ordinal)
            || name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (!string.IsNullOrEmpty(publicHost) && name.Equals(HostString.FromUriComponent(publicHost).Host, StringComparison.OrdinalIgnoreCase));
    }

    public static Func<HttpContext, RequestDelegate, Task> Middleware(string? publicHost) => (http, next) =>
    {
        if (Allowed(http.Request.Headers.Host.ToString(), publicHost))
            return next(http);
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync("This server answers only for 127.0.0.1, localhost or its configured public host name.\n", http.RequestAborted);
    };
}
