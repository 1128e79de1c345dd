namespace WikiSync.Notifications;

/// <summary>
/// What one refresh covers: a project (or <see cref="AllProjects"/>) and the <c>refresh_on</c> scope
/// (<see cref="Jobs.RefreshTrigger"/>) whose jobs it runs.
/// </summary>
public sealed record RefreshTarget(string Project, string Scope)
{
    /// <summary>The project of a refresh of every project (a project created: its name may not be known yet).</summary>
    public const string AllProjects = "*";

    public override string ToString() => $"{(Project == AllProjects ? "all projects" : Project)} ({Scope})";
}
