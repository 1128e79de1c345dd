namespace WikiSync.Model;

/// <summary>One infrastructure project: the unit every page is about.</summary>
public sealed record Project(
    string Name,
    string Description,
    IReadOnlyList<Member> Members,
    IReadOnlyList<Instance> Instances)
{
    /// <summary>False for a project its source lists as disabled (Keystone with <c>openstack.disabled_projects: mark</c>).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// The cloud's id of the project (Keystone's), "" when the source has none (a static inventory): how a
    /// notification, which names projects by id only, finds its page.
    /// </summary>
    public string Id { get; init; } = "";
}
