namespace WikiSync.AdminLog.Irc;

/// <summary>
/// How the SAL bot connects: from WIKISYNC_IRC_SERVER (<c>host:port</c>), WIKISYNC_IRC_NICK,
/// WIKISYNC_IRC_CHANNELS and the <c>irc:</c> block of the configuration (TLS, password, channel rules).
/// </summary>
public sealed record IrcBotOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 6667;

    public bool Tls { get; init; }

    public string Nick { get; init; } = "wikisync-bot";

    /// <summary>Server password (PASS). Secret: never logged.</summary>
    public string? Password { get; init; }

    public string UserName { get; init; } = "wikisync";

    public string RealName { get; init; } = "WikiSync Server Admin Log";

    public IReadOnlyList<string> Channels { get; init; } = [];

    /// <summary>Per-channel rules (bound project, who may log); a channel without one is open to anyone.</summary>
    public IReadOnlyList<ChannelPolicy> Policies { get; init; } = [];

    /// <summary>At most one reply per interval, so no server kicks the bot for flooding.</summary>
    public TimeSpan ReplyInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Replies other than acknowledgements that may wait at once; more are dropped (a flood's refusals, help).</summary>
    public int MaxQueuedReplies { get; init; } = DefaultMaxQueuedReplies;

    public const int DefaultMaxQueuedReplies = 50;

    /// <summary>How many <c>!log</c> commands a nick and a channel may send (irc: flood).</summary>
    public IrcFloodLimits Flood { get; init; } = new();

    public TimeSpan FirstReconnect { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnect { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Quiet this long → PING the server; no answer within as long again → reconnect.</summary>
    public TimeSpan Keepalive { get; init; } = TimeSpan.FromMinutes(2);

    public ChannelPolicy PolicyFor(string channel) =>
        Policies.FirstOrDefault(p => string.Equals(p.Channel, channel, StringComparison.OrdinalIgnoreCase))
        ?? ChannelPolicy.Open(channel);

    /// <summary>Reads <c>host:port</c>; a bare host means port 6667 (6697 with TLS).</summary>
    public static (string Host, int Port) ParseServer(string server, bool tls)
    {
        var colon = server.LastIndexOf(':');
        if (colon > 0 && int.TryParse(server.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            return (server[..colon], port);
        }

        if (colon > 0)
        {
            throw new FormatException($"WIKISYNC_IRC_SERVER: \"{server}\" is not host:port");
        }

        return (server, tls ? 6697 : 6667);
    }

    public override string ToString() =>
        $"IrcBotOptions {{ {Host}:{Port}, Tls = {Tls}, Nick = {Nick}, Channels = [{string.Join(", ", Channels)}], Password = {(string.IsNullOrEmpty(Password) ? "(none)" : "(set)")} }}";
}
