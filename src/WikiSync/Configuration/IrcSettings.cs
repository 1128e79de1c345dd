namespace WikiSync.Configuration;

/// <summary>The IRC bot for the Server Admin Log (issue 3). Filled in by the SAL room.</summary>
public sealed record IrcSettings
{
    /// <summary><c>host:port</c> (WIKISYNC_IRC_SERVER); empty = no IRC bot.</summary>
    public string? Server { get; init; }

    /// <summary>WIKISYNC_IRC_NICK.</summary>
    public string? Nick { get; init; }

    /// <summary>Channels to join (WIKISYNC_IRC_CHANNELS, comma-separated).</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];

    public bool Tls { get; init; }

    /// <summary>Server password, if any. Secret.</summary>
    public string? Password { get; init; }

    public override string ToString() =>
        $"IrcSettings {{ Server = {Server}, Nick = {Nick}, Channels = [{string.Join(", ", Channels)}], Tls = {Tls}, Password = {(string.IsNullOrEmpty(Password) ? "(none)" : "(set)")} }}";

    internal IrcSettings ApplyEnvironment(Func<string, string?> env) => this with
    {
        Server = env("WIKISYNC_IRC_SERVER") ?? Server,
        Nick = env("WIKISYNC_IRC_NICK") ?? Nick,
        Channels = env("WIKISYNC_IRC_CHANNELS") is { } channels
            ? channels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : Channels,
    };
}
