using WikiSync.AdminLog.Irc;
using WikiSync.Configuration;
using WikiSync.Wiki;

namespace WikiSync.AdminLog;

/// <summary>Turns the configuration's <c>irc:</c> and <c>wiki:</c> settings into the SAL's options.</summary>
public static class ServerAdminLogSettings
{
    public static ServerAdminLogOptions From(WikiSyncSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ServerAdminLogOptions
        {
            WikiIndexUrl = WikiUrls.IndexPhp(settings.Wiki.Api) ?? "",
            Irc = Irc(settings.Irc),
            NickToUser = settings.Irc.Nicks ?? [],
        };
    }

    /// <summary>The bot's options, or null when no server is configured (no bot then).</summary>
    public static IrcBotOptions? Irc(IrcSettings irc)
    {
        ArgumentNullException.ThrowIfNull(irc);
        if (string.IsNullOrWhiteSpace(irc.Server))
        {
            return null;
        }

        (string Host, int Port) server;
        try
        {
            server = IrcBotOptions.ParseServer(irc.Server, irc.Tls);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException(e.Message);
        }

        var policies = (irc.Rules ?? []).Select(Policy).ToList();
        var flood = irc.Flood ?? new IrcFloodSettings();
        var limits = new IrcFloodLimits();
        return new IrcBotOptions
        {
            Flood = new IrcFloodLimits
            {
                NickBurst = Positive("irc.flood.nick_burst", flood.NickBurst) ?? limits.NickBurst,
                NickPerMinute = Positive("irc.flood.nick_per_minute", flood.NickPerMinute) ?? limits.NickPerMinute,
                ChannelBurst = Positive("irc.flood.channel_burst", flood.ChannelBurst) ?? limits.ChannelBurst,
                ChannelPerMinute = Positive("irc.flood.channel_per_minute", flood.ChannelPerMinute) ?? limits.ChannelPerMinute,
            },
            MaxQueuedReplies = Positive("irc.flood.max_queued_replies", flood.MaxQueuedReplies) ?? IrcBotOptions.DefaultMaxQueuedReplies,
            Host = server.Host,
            Port = server.Port,
            Tls = irc.Tls,
            Nick = string.IsNullOrWhiteSpace(irc.Nick) ? "wikisync-bot" : irc.Nick,
            Password = irc.Password,
            // A channel that has a rule is joined even when WIKISYNC_IRC_CHANNELS forgot it.
            Channels = [.. (irc.Channels ?? []).Concat(policies.Select(p => p.Channel)).Distinct(StringComparer.OrdinalIgnoreCase)],
            Policies = policies,
        };
    }

    private static int? Positive(string name, int? value) =>
        value is <= 0 ? throw new ConfigurationException($"{name}: must be a positive number, found {value}") : value;

    private static ChannelPolicy Policy(IrcChannelRule rule)
    {
        if (string.IsNullOrWhiteSpace(rule.Channel))
        {
            throw new ConfigurationException("irc.rules: every rule needs a channel");
        }

        var who = (rule.Who ?? "").Trim().ToLowerInvariant() switch
        {
            "" or "anyone" => LogWho.Anyone,
            "members" => LogWho.Members,
            "allowed" => LogWho.Allowed,
            _ => throw new ConfigurationException($"irc.rules {rule.Channel}: who must be anyone, members or allowed, found \"{rule.Who}\""),
        };
        return new ChannelPolicy(rule.Channel, string.IsNullOrWhiteSpace(rule.Project) ? null : rule.Project, who, rule.Allow ?? [], rule.Deny ?? []);
    }
}
