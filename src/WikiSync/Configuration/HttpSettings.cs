using System.Globalization;

namespace WikiSync.Configuration;

/// <summary>The HTTP port of <c>wikisync run</c> (issues 3 and 8). Filled in by the hosting room.</summary>
public sealed record HttpSettings
{
    /// <summary>Port on 127.0.0.1 (WIKISYNC_HTTP_PORT); 0 = no HTTP.</summary>
    public int Port { get; init; }

    /// <summary>Bearer token for POST /log (WIKISYNC_HTTP_TOKEN). Secret.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// The name a proxy in front serves the port under (WIKISYNC_HTTP_PUBLIC_HOST, e.g. <c>wikisync.example.org</c>):
    /// beside 127.0.0.1 and localhost the only <c>Host</c> the port answers, so no DNS rebinding reaches it.
    /// </summary>
    public string? PublicHost { get; init; }

    public override string ToString() =>
        $"HttpSettings {{ Port = {Port}, Token = {(string.IsNullOrEmpty(Token) ? "(none)" : "(set)")}, PublicHost = {PublicHost ?? "(none)"} }}";

    internal HttpSettings ApplyEnvironment(Func<string, string?> env) => this with
    {
        Port = env("WIKISYNC_HTTP_PORT") is { } port
            ? int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535
                ? p
                : throw new ConfigurationException($"WIKISYNC_HTTP_PORT: \"{port}\" is not a port number")
            : Port,
        Token = env("WIKISYNC_HTTP_TOKEN") ?? Token,
        PublicHost = env("WIKISYNC_HTTP_PUBLIC_HOST") ?? PublicHost,
    };
}
