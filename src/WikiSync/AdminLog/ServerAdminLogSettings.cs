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
        return new IrcBotOptions
        {
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
