using System.Text.RegularExpressions;
using WikiSync.Model;

namespace WikiSync.AdminLog;

/// <summary>Who may <c>!log</c> in a channel when no allow/deny mask decides it.</summary>
public enum LogWho
{
    /// <summary>Everyone in the channel.</summary>
    Anyone,

    /// <summary>Only a nick that maps to a member of the project logged to.</summary>
    Members,

    /// <summary>Only senders matching the allow list.</summary>
    Allowed,
}

/// <summary>
/// The rules of one channel: an optional bound project (so <c>!log MESSAGE</c> suffices), who may log, and
/// <c>nick!user@host</c> masks (<c>*</c> and <c>?</c> wildcards, case-insensitive). A deny mask always refuses;
/// an allow mask always admits; otherwise <see cref="Who"/> decides.
/// </summary>
public sealed record ChannelPolicy(
    string Channel,
    string? Project = null,
    LogWho Who = LogWho.Anyone,
    IReadOnlyList<string>? Allow = null,
    IReadOnlyList<string>? Deny = null)
{
    public static ChannelPolicy Open(string channel) => new(channel);
}

/// <summary>The sender of a chat line, as the server gives its prefix <c>nick!user@host</c>.</summary>
public sealed record IrcUser(string Nick, string User, string Host)
{
    public string Mask => $"{Nick}!{User}@{Host}";

    public static IrcUser Parse(string prefix)
    {
        var bang = prefix.IndexOf('!', StringComparison.Ordinal);
        var at = prefix.IndexOf('@', StringComparison.Ordinal);
        if (bang < 0 && at < 0)
        {
            return new IrcUser(prefix, "", "");
        }

        if (bang < 0)
        {
            return new IrcUser(prefix[..at], "", prefix[(at + 1)..]);
        }

        return at > bang
            ? new IrcUser(prefix[..bang], prefix[(bang + 1)..at], prefix[(at + 1)..])
            : new IrcUser(prefix[..bang], prefix[(bang + 1)..], "");
    }

    public override string ToString() => Mask;
}

/// <summary>Decides whether a sender may log to a project in a channel.</summary>
public sealed class LogAccess(IReadOnlyDictionary<string, string>? nickToUser = null)
{
    private readonly Dictionary<string, string> _nickToUser =
        new(nickToUser ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The wiki/LDAP user a nick stands for: the configured mapping, else the nick itself.</summary>
    public string UserFor(string nick) => _nickToUser.TryGetValue(nick, out var user) ? user : nick;

    public bool IsAllowed(ChannelPolicy policy, IrcUser sender, Project project)
    {
        var mask = sender.Mask;
        if (policy.Deny?.Any(d => MaskMatches(d, mask)) == true)
        {
            return false;
        }

        if (policy.Allow?.Any(a => MaskMatches(a, mask)) == true)
        {
            return true;
        }

        return policy.Who switch
        {
            LogWho.Anyone => true,
            LogWho.Members => project.Members.Any(m => string.Equals(m.User, UserFor(sender.Nick), StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }

    /// <summary>IRC mask match: <c>*</c> any run of characters, <c>?</c> one character, case-insensitive.</summary>
    public static bool MaskMatches(string pattern, string value)
    {
        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(value, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
