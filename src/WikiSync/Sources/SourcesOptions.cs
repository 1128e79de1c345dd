using WikiSync.Sources.OpenStack;

namespace WikiSync.Sources;

/// <summary>
/// Which source answers what (the <c>sources:</c> section): <c>projects: static|ldap|keystone</c>,
/// <c>members: static|ldap|keystone</c>, <c>instances: static|openstack</c>, and <c>allow_empty</c>.
/// <c>keystone</c> and <c>openstack</c> are one cloud source (the <c>openstack:</c> section, one token cache).
/// </summary>
public sealed record SourcesOptions
{
    public const string Static = "static";
    public const string Ldap = "ldap";
    public const string OpenStack = "openstack";
    public const string Keystone = "keystone";

    public string Projects { get; init; } = Static;

    public string Members { get; init; } = Static;

    public string Instances { get; init; } = Static;

    /// <summary>
    /// false (default): a source that returned N &gt; 0 projects, members or instances last time and
    /// now returns 0 is treated as failed, so no page is blanked by an outage that looks like success.
    /// true: an empty answer is believed.
    /// </summary>
    public bool AllowEmpty { get; init; }

    public bool Uses(string kind) => Projects == kind || Members == kind || Instances == kind;

    /// <summary>Any aspect comes from the cloud (Keystone or Nova), which the <c>openstack:</c> section configures.</summary>
    public bool UsesCloud => Uses(OpenStack) || Uses(Keystone);

    /// <summary>What the cloud source is asked for.</summary>
    public CloudAspects CloudAspects =>
        (Instances == OpenStack ? CloudAspects.Instances : CloudAspects.None)
        | (Projects == Keystone ? CloudAspects.Projects : CloudAspects.None)
        | (Members == Keystone ? CloudAspects.Members : CloudAspects.None);

    /// <summary>Every problem, each naming the key; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Projects is not (Static or Ldap or Keystone))
            problems.Add($"sources.projects \"{Projects}\" must be static, ldap or keystone");
        if (Members is not (Static or Ldap or Keystone))
            problems.Add($"sources.members \"{Members}\" must be static, ldap or keystone");
        if (Instances is not (Static or OpenStack))
            problems.Add($"sources.instances \"{Instances}\" must be static or openstack");
        return problems;
    }
}
