namespace WikiSync.Model;

/// <summary>One infrastructure project: the unit every page is about.</summary>
public sealed record Project(
    string Name,
    string Description,
    IReadOnlyList<Member> Members,
    IReadOnlyList<Instance> Instances)
{
    /// <summary>
    /// The cloud's id of the project (Keystone's), "" when the source has none (a static inventory): how a
    /// notification, which names projects by id only, finds its page.
    /// </summary>
    public string Id { get; init; } = "";
}
