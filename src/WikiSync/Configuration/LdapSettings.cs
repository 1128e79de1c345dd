namespace WikiSync.Configuration;

/// <summary>The LDAP member source (issue 4). Filled in by the sources room.</summary>
public sealed record LdapSettings
{
    /// <summary><c>ldap://host:port</c>; empty = LDAP not used.</summary>
    public string? Url { get; init; }

    public string? BindDn { get; init; }

    /// <summary>Secret.</summary>
    public string? BindPassword { get; init; }

    public string? BaseDn { get; init; }

    public override string ToString() =>
        $"LdapSettings {{ Url = {Url}, BindDn = {BindDn}, BaseDn = {BaseDn}, BindPassword = {(string.IsNullOrEmpty(BindPassword) ? "(none)" : "(set)")} }}";

    internal LdapSettings ApplyEnvironment(Func<string, string?> env) => this with
    {
        Url = env("WIKISYNC_LDAP_URL") ?? Url,
        BindDn = env("WIKISYNC_LDAP_BIND_DN") ?? BindDn,
        BindPassword = env("WIKISYNC_LDAP_BIND_PASSWORD") ?? BindPassword,
        BaseDn = env("WIKISYNC_LDAP_BASE_DN") ?? BaseDn,
    };
}
