namespace WikiSync.Sources.OpenStack;

/// <summary>
/// What a token is scoped to: a project by name, a domain by name, or (both null) the configured scope
/// (<c>openstack.project_name</c>, or the application credential's own project).
/// </summary>
internal sealed record KeystoneScope(string? Project = null, string? Domain = null)
{
    public static readonly KeystoneScope Configured = new();

    public static KeystoneScope OfProject(string? project) => project is null ? Configured : new(Project: project);

    /// <summary>The token cache's key: one token per scope.</summary>
    public string Key => Domain is not null ? "domain:" + Domain : "project:" + Project;

    public override string ToString() => Domain is not null ? $"domain {Domain}" : Project is not null ? $"project {Project}" : "the configured scope";
}
