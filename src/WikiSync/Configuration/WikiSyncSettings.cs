using WikiSync.Sources;
using WikiSync.Sources.Ldap;
using WikiSync.Sources.OpenStack;
using YamlDotNet.Serialization;
using WikiSync.Redaction;

namespace WikiSync.Configuration;

/// <summary>
/// All settings, from <c>--config FILE</c> (YAML, keys in snake_case) overridden by WIKISYNC_* variables;
/// see <see cref="SettingsLoader"/>. Paths are absolute once loaded. Adding a section: a sealed record
/// in its own file with an <c>ApplyEnvironment</c> method, one property here, one line in
/// <see cref="SettingsLoader.ApplyEnvironment"/>, and a row in the README's configuration table.
/// </summary>
public sealed record WikiSyncSettings
{
    public WikiSettings Wiki { get; init; } = new();

    /// <summary>The static inventory YAML file (WIKISYNC_INVENTORY).</summary>
    public string? Inventory { get; init; }

    /// <summary>The state folder (WIKISYNC_DATA), default <c>.state/</c> under the current directory.</summary>
    public string Data { get; init; } = ".state";

    /// <summary>The job files folder (WIKISYNC_JOBS), default the repository's <c>jobs/</c>.</summary>
    public string? Jobs { get; init; }

    /// <summary>The templates folder (WIKISYNC_TEMPLATES), default the repository's <c>templates/</c>.</summary>
    public string? Templates { get; init; }

    /// <summary>The store (WIKISYNC_STORE): empty = SQLite in the state folder, else a PostgreSQL connection string.</summary>
    public string? Store { get; init; }

    /// <summary>Who runs this bot (WIKISYNC_CONTACT), sent in the User-Agent.</summary>
    public string? Contact { get; init; }

    /// <summary>The emergency stop page (WIKISYNC_SHUTOFF_PAGE), default <c>User:&lt;bot user&gt;/Shutoff</c>.</summary>
    public string? ShutoffPage { get; init; }

    public IrcSettings Irc { get; init; } = new();

    /// <summary>Which source answers projects, members and instances (<c>sources:</c>, see src/WikiSync/Sources/README.md).</summary>
    public SourcesOptions Sources { get; init; } = new();

    /// <summary>The cloud source: Nova instances, Keystone projects and members (<c>openstack:</c>, WIKISYNC_OPENSTACK_*); null = not configured.</summary>
    [YamlMember(Alias = "openstack")]
    public OpenStackOptions? OpenStack { get; init; }

    /// <summary>The LDAP projects/members source (<c>ldap:</c>, WIKISYNC_LDAP_*); null = not configured.</summary>
    public LdapOptions? Ldap { get; init; }

    public HttpSettings Http { get; init; } = new();

    /// <summary>
    /// How long one pass may take (<c>pass_timeout</c>, WIKISYNC_PASS_TIMEOUT: seconds, or <c>10m</c>, <c>1h</c>...):
    /// a source that never answers or pages without end fails its pass instead of holding the sync gate.
    /// </summary>
    public TimeSpan PassTimeout { get; init; } = DefaultPassTimeout;

    public static readonly TimeSpan DefaultPassTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The shutoff page to check before any edit.</summary>
    public string EffectiveShutoffPage =>
        !string.IsNullOrWhiteSpace(ShutoffPage) ? ShutoffPage
        : $"User:{(string.IsNullOrWhiteSpace(Wiki.BotUserName) ? "WikiSync" : Wiki.BotUserName)}/Shutoff";

    /// <summary>Every section, secrets shown only as set or not: a PostgreSQL connection string may hold a password.</summary>
    public override string ToString() =>
        $"WikiSyncSettings {{ Wiki = {Wiki}, Inventory = {Inventory}, Data = {Data}, Jobs = {Jobs}, Templates = {Templates}, "
        + $"Store = {(string.IsNullOrWhiteSpace(Store) ? "(SQLite in the state folder)" : "(PostgreSQL connection string, not shown)")}, "
        + $"Contact = {Contact}, ShutoffPage = {EffectiveShutoffPage}, Sources = {Sources}, OpenStack = {OpenStack}, Ldap = {Ldap}, Irc = {Irc}, Http = {Http}, PassTimeout = {Yaml.Durations.Format(PassTimeout)} }}";
}

/// <summary>The wiki WikiSync edits. The password is never printed: see <see cref="ToString"/>.</summary>
public sealed record WikiSettings
{
    /// <summary>The api.php URL (WIKISYNC_WIKI_API).</summary>
    public string? Api { get; init; }

    /// <summary>The bot password login, <c>User@App</c> (WIKISYNC_WIKI_USER).</summary>
    public string? User { get; init; }

    /// <summary>The bot password (WIKISYNC_WIKI_PASSWORD). Secret.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// Seconds to wait for one answer of the wiki (WIKISYNC_WIKI_TIMEOUT), default 60; a request that takes
    /// longer is abandoned and retried like any other transient failure.
    /// </summary>
    public int Timeout { get; init; } = 60;

    /// <summary>The account name without the bot password's application part.</summary>
    public string? BotUserName => User is null ? null : User.Split('@', 2)[0];

    public override string ToString() =>
        $"WikiSettings {{ Api = {Redact.Url(Api)}, User = {User}, Timeout = {Timeout}, Password = {(string.IsNullOrEmpty(Password) ? "(none)" : "(set)")} }}";

    internal WikiSettings ApplyEnvironment(Func<string, string?> env) => this with
    {
        Api = env("WIKISYNC_WIKI_API") ?? Api,
        User = env("WIKISYNC_WIKI_USER") ?? User,
        Password = env("WIKISYNC_WIKI_PASSWORD") ?? Password,
        Timeout = env("WIKISYNC_WIKI_TIMEOUT") is { } timeout
            ? int.TryParse(timeout, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var t) && t > 0
                ? t
                : throw new ConfigurationException($"WIKISYNC_WIKI_TIMEOUT: \"{timeout}\" is not a whole number of seconds above 0")
            : Timeout,
    };
}
