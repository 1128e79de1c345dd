namespace WikiSync.Sources.Ldap;

/// <summary>
/// The LDAP project and member source (the <c>ldap:</c> section, keys in snake_case). Projects are
/// groups under <see cref="BaseDn"/>: <c>groupOfNames</c> with member DNs or <c>posixGroup</c> with
/// <c>memberUid</c> values, both read by the same mapping. <see cref="ToString"/> never prints the password.
/// </summary>
public sealed record LdapOptions
{
    /// <summary><c>ldap://host:port</c> or <c>ldaps://host:port</c>.</summary>
    public string? Url { get; init; }

    /// <summary>Empty = anonymous bind.</summary>
    public string? BindDn { get; init; }

    /// <summary>Secret.</summary>
    public string? BindPassword { get; init; }

    /// <summary>Where the project groups are, e.g. <c>ou=projects,dc=example,dc=org</c>.</summary>
    public string? BaseDn { get; init; }

    /// <summary><c>one</c> (the groups directly under the base DN) or <c>sub</c> (the whole subtree).</summary>
    public string GroupScope { get; init; } = "one";

    public string GroupFilter { get; init; } = "(|(objectClass=groupOfNames)(objectClass=posixGroup))";

    public string GroupNameAttribute { get; init; } = "cn";

    public string DescriptionAttribute { get; init; } = "description";

    /// <summary>Holds member DNs (groupOfNames).</summary>
    public string MemberAttribute { get; init; } = "member";

    /// <summary>Holds member user ids (posixGroup).</summary>
    public string MemberUidAttribute { get; init; } = "memberUid";

    /// <summary>
    /// On a project entry, the attribute naming its administrators (DNs or user ids); those get the role
    /// <c>projectadmin</c>, every other member <c>member</c>. Default <c>owner</c> (groupOfNames has it).
    /// Empty = everyone is a member.
    /// </summary>
    public string AdminAttribute { get; init; } = "owner";

    /// <summary>Where the users are; default the parent of <see cref="BaseDn"/>.</summary>
    public string? UserBaseDn { get; init; }

    public string UserIdAttribute { get; init; } = "uid";

    /// <summary>The first of these a user entry has is the display name.</summary>
    public IReadOnlyList<string> DisplayNameAttributes { get; init; } = ["displayName", "cn"];

    /// <summary>ANDed to the user lookup, e.g. <c>(objectClass=inetOrgPerson)</c>.</summary>
    public string UserFilter { get; init; } = "(objectClass=*)";

    /// <summary>How many users one lookup names before it is split (servers limit filter size).</summary>
    public int LookupChunkSize { get; init; } = 200;

    public int TimeoutSeconds { get; init; } = 30;

    internal string EffectiveUserBaseDn
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(UserBaseDn))
                return UserBaseDn;
            var rdns = DistinguishedName.Split(BaseDn ?? "");
            return rdns.Count > 1 ? string.Join(',', rdns.Skip(1)) : BaseDn ?? "";
        }
    }

    /// <summary>Every problem with the options, each naming the key; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Url))
            problems.Add("ldap.url is required");
        else if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != "ldap" && uri.Scheme != "ldaps"))
            problems.Add($"ldap.url \"{Redaction.Redact.Url(Url)}\" is not an ldap:// or ldaps:// URL");
        if (string.IsNullOrWhiteSpace(BaseDn))
            problems.Add("ldap.base_dn is required");
        if (!string.IsNullOrEmpty(BindDn) && string.IsNullOrEmpty(BindPassword))
            problems.Add("ldap.bind_password is required with bind_dn (leave both empty for an anonymous bind)");
        if (GroupScope is not ("one" or "sub"))
            problems.Add($"ldap.group_scope \"{GroupScope}\" must be one or sub");
        if (!LdapFilter.LooksBalanced(GroupFilter))
            problems.Add($"ldap.group_filter \"{GroupFilter}\" is not a parenthesised LDAP filter");
        if (!LdapFilter.LooksBalanced(UserFilter))
            problems.Add($"ldap.user_filter \"{UserFilter}\" is not a parenthesised LDAP filter");
        if (DisplayNameAttributes.Count == 0)
            problems.Add("ldap.display_name_attributes must name at least one attribute");
        if (LookupChunkSize <= 0)
            problems.Add("ldap.lookup_chunk_size must be positive");
        if (TimeoutSeconds <= 0)
            problems.Add("ldap.timeout_seconds must be positive");
        return problems;
    }

    public override string ToString() =>
        $"LdapOptions {{ Url = {Redaction.Redact.Url(Url)}, BindDn = {(string.IsNullOrEmpty(BindDn) ? "(anonymous)" : BindDn)}, BaseDn = {BaseDn}, " +
        $"BindPassword = {(string.IsNullOrEmpty(BindPassword) ? "(none)" : "(set)")} }}";
}
