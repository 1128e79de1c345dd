using WikiSync.Sources;
using WikiSync.Sources.Ldap;
using WikiSync.Sources.OpenStack;

namespace WikiSync.Configuration;

/// <summary>
/// WIKISYNC_* variables for the sources (the Sources room's own option records): a variable for a
/// section that the file does not have creates it.
/// </summary>
internal static class SourcesEnvironment
{
    public static SourcesOptions Apply(SourcesOptions s, Func<string, string?> env) => s with
    {
        Projects = env("WIKISYNC_SOURCES_PROJECTS") ?? s.Projects,
        Members = env("WIKISYNC_SOURCES_MEMBERS") ?? s.Members,
        Instances = env("WIKISYNC_SOURCES_INSTANCES") ?? s.Instances,
    };

    public static OpenStackOptions? Apply(OpenStackOptions? s, Func<string, string?> env)
    {
        string[] names = ["AUTH_URL", "USER_NAME", "PASSWORD", "USER_DOMAIN", "PROJECT_NAME", "PROJECT_DOMAIN", "APPLICATION_CREDENTIAL_ID",
            "APPLICATION_CREDENTIAL_SECRET", "REGION", "INTERFACE", "ALL_PROJECTS", "PROJECTS", "KEYSTONE_DOMAIN", "DISABLED_PROJECTS",
            "NOTIFICATIONS_URL", "NOTIFICATIONS_QUEUE", "NOTIFICATIONS_DEBOUNCE_MS", "NOTIFICATIONS_MAX_DELAY_MS"];
        if (s is null && names.All(n => env("WIKISYNC_OPENSTACK_" + n) is null))
            return null;
        s ??= new OpenStackOptions();
        return s with
        {
            AuthUrl = env("WIKISYNC_OPENSTACK_AUTH_URL") ?? s.AuthUrl,
            UserName = env("WIKISYNC_OPENSTACK_USER_NAME") ?? s.UserName,
            Password = env("WIKISYNC_OPENSTACK_PASSWORD") ?? s.Password,
            UserDomain = env("WIKISYNC_OPENSTACK_USER_DOMAIN") ?? s.UserDomain,
            ProjectName = env("WIKISYNC_OPENSTACK_PROJECT_NAME") ?? s.ProjectName,
            ProjectDomain = env("WIKISYNC_OPENSTACK_PROJECT_DOMAIN") ?? s.ProjectDomain,
            ApplicationCredentialId = env("WIKISYNC_OPENSTACK_APPLICATION_CREDENTIAL_ID") ?? s.ApplicationCredentialId,
            ApplicationCredentialSecret = env("WIKISYNC_OPENSTACK_APPLICATION_CREDENTIAL_SECRET") ?? s.ApplicationCredentialSecret,
            Region = env("WIKISYNC_OPENSTACK_REGION") ?? s.Region,
            Interface = env("WIKISYNC_OPENSTACK_INTERFACE") ?? s.Interface,
            AllProjects = env("WIKISYNC_OPENSTACK_ALL_PROJECTS") is { } all ? Boolean("WIKISYNC_OPENSTACK_ALL_PROJECTS", all) : s.AllProjects,
            Projects = env("WIKISYNC_OPENSTACK_PROJECTS") is { } projects ? List(projects) : s.Projects,
            KeystoneDomain = env("WIKISYNC_OPENSTACK_KEYSTONE_DOMAIN") ?? s.KeystoneDomain,
            DisabledProjects = env("WIKISYNC_OPENSTACK_DISABLED_PROJECTS") ?? s.DisabledProjects,
            Notifications = Apply(s.Notifications ?? new NotificationsOptions(), env),
        };
    }

    private static NotificationsOptions Apply(NotificationsOptions s, Func<string, string?> env) => s with
    {
        Url = env("WIKISYNC_OPENSTACK_NOTIFICATIONS_URL") ?? s.Url,
        Queue = env("WIKISYNC_OPENSTACK_NOTIFICATIONS_QUEUE") ?? s.Queue,
        DebounceMs = env("WIKISYNC_OPENSTACK_NOTIFICATIONS_DEBOUNCE_MS") is { } debounce ? Milliseconds("WIKISYNC_OPENSTACK_NOTIFICATIONS_DEBOUNCE_MS", debounce) : s.DebounceMs,
        MaxDelayMs = env("WIKISYNC_OPENSTACK_NOTIFICATIONS_MAX_DELAY_MS") is { } max ? Milliseconds("WIKISYNC_OPENSTACK_NOTIFICATIONS_MAX_DELAY_MS", max) : s.MaxDelayMs,
    };

    private static int Milliseconds(string variable, string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? ms
            : throw new ConfigurationException($"{variable}: \"{value}\" is not a whole number of milliseconds");

    private static bool Boolean(string variable, string value) => value.Trim().ToUpperInvariant() switch
    {
        "TRUE" or "YES" or "ON" or "1" => true,
        "FALSE" or "NO" or "OFF" or "0" => false,
        _ => throw new ConfigurationException($"{variable}: \"{value}\" is not true or false"),
    };

    /// <summary>A comma-separated variable; blanks around the names and empty entries are dropped.</summary>
    private static List<string> List(string value) =>
        [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    public static LdapOptions? Apply(LdapOptions? s, Func<string, string?> env)
    {
        string[] names = ["URL", "BIND_DN", "BIND_PASSWORD", "BASE_DN"];
        if (s is null && names.All(n => env("WIKISYNC_LDAP_" + n) is null))
            return null;
        s ??= new LdapOptions();
        return s with
        {
            Url = env("WIKISYNC_LDAP_URL") ?? s.Url,
            BindDn = env("WIKISYNC_LDAP_BIND_DN") ?? s.BindDn,
            BindPassword = env("WIKISYNC_LDAP_BIND_PASSWORD") ?? s.BindPassword,
            BaseDn = env("WIKISYNC_LDAP_BASE_DN") ?? s.BaseDn,
        };
    }
}
