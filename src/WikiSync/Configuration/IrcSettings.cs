using WikiSync.Redaction;

namespace WikiSync.Configuration;

/// <summary>The IRC bot for the Server Admin Log (issue 3). Filled in by the SAL room.</summary>
public sealed record IrcSettings
{
    /// <summary><c>host:port</c> (WIKISYNC_IRC_SERVER); empty = no IRC bot.</summary>
    public string? Server { get; init; }

    /// <summary>WIKISYNC_IRC_NICK.</summary>
    public string? Nick { get; init; }

    /// <summary>Channels to join (WIKISYNC_IRC_CHANNELS, comma-separated). A List, because the YAML reader fills lists.</summary>
    public List<string> Channels { get; init; } = [];

    public bool Tls { get; init; }

    /// <summary>Server password, if any. Secret.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// Per-channel rules: <c>rules: [{ channel: "#x", project: tools, who: anyone|members|allowed, allow: [masks], deny: [masks] }]</c>.
    /// A channel without a rule lets anyone log to any project.
    /// </summary>
    public List<IrcChannelRule> Rules { get; init; } = [];

    /// <summary>IRC nick → directory user, for <c>who: members</c> (default: the nick itself, case-insensitive).</summary>
    public Dictionary<string, string> Nicks { get; init; } = [];

    /// <summary>Flood limits for <c>!log</c> (defaults in the SAL room: 30 at once then 30 a minute per nick, 120 then 240 per channel).</summary>
    public IrcFloodSettings Flood { get; init; } = new();

    public override string ToString() =>
        $"IrcSettings {{ Server = {Redact.Url(Server)}, Nick = {Nick}, Channels = [{string.Join(", ", Channels)}], Tls = {Tls}, Password = {(string.IsNullOrEmpty(Password) ? "(none)" : "(set)")} }}";

    internal IrcSettings ApplyEnvironment(Func<string, string?> env) => this with
    {
        Server = env("WIKISYNC_IRC_SERVER") ?? Server,
        Nick = env("WIKISYNC_IRC_NICK") ?? Nick,
        Channels = env("WIKISYNC_IRC_CHANNELS") is { } channels
            ? [.. channels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : Channels,
    };
}

/// <summary>Who may <c>!log</c> in one channel, and the project it is bound to (so <c>!log MESSAGE</c> suffices).</summary>
public sealed record IrcChannelRule
{
    public string Channel { get; init; } = "";

    public string? Project { get; init; }

    /// <summary><c>anyone</c> (default), <c>members</c> (of the project logged to) or <c>allowed</c> (the allow list only).</summary>
    public string Who { get; init; } = "anyone";

    /// <summary><c>nick!user@host</c> masks with <c>*</c> and <c>?</c> that may always log.</summary>
    public List<string> Allow { get; init; } = [];

    /// <summary>Masks that may never log; a deny wins over everything.</summary>
    public List<string> Deny { get; init; } = [];
}

/// <summary><c>irc: flood: { nick_burst, nick_per_minute, channel_burst, channel_per_minute, max_queued_replies }</c>; unset = the default.</summary>
public sealed record IrcFloodSettings
{
    public int? NickBurst { get; init; }

    public int? NickPerMinute { get; init; }

    public int? ChannelBurst { get; init; }

    public int? ChannelPerMinute { get; init; }

    public int? MaxQueuedReplies { get; init; }
}
