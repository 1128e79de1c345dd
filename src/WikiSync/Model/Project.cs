namespace WikiSync.Model;

/// <summary>One infrastructure project: the unit every page is about.</summary>
public sealed record Project(
    string Name,
    string Description,
    IReadOnlyList<Member> Members,
    IReadOnlyList<Instance> Instances);
