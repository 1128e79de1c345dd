using WikiSync.Sections;

namespace WikiSync.Jobs;

/// <summary>
/// One job file (<c>jobs/NAME.yaml</c>): which template renders which section of which pages, from
/// which source, how often (<see cref="Schedule"/> null = on demand only). See the BRIEF's job-file keys; <see cref="JobLoader"/> reads them.
/// </summary>
public sealed record JobDefinition(
    string Name,
    string File,
    JobSchedule? Schedule,
    JobSource Source,
    string Template,
    string Page,
    string Section,
    bool CreatePages,
    string Skeleton,
    Placement Placement,
    ForEach ForEach,
    IReadOnlyDictionary<string, string> Parameters,
    HumanEditPolicy HumanEdits = HumanEditPolicy.Replace)
{
    public const string DefaultSkeleton = "page-skeleton";

    /// <summary>
    /// Which pushed changes run this job at once (<c>refresh_on:</c>, values of <see cref="RefreshTrigger"/>):
    /// a server's (for its project) or a project's (every project). Empty: only its schedule and refreshes.
    /// </summary>
    public IReadOnlyList<string> RefreshOn { get; init; } = [];
}

/// <summary>The values of a job file's <c>refresh_on:</c> list.</summary>
public static class RefreshTrigger
{
    /// <summary>A server of the project was created, deleted or changed (Nova's notifications).</summary>
    public const string Instances = "instances";

    /// <summary>A project was created or changed (Keystone's notifications).</summary>
    public const string Projects = "projects";

    public static IReadOnlyList<string> All { get; } = [Instances, Projects];
}

public enum JobSource
{
    /// <summary>The configured projects/instances/members sources, composed.</summary>
    Inventory,
    /// <summary>The inventory plus SAL entries from the store.</summary>
    Sal,
}

public enum ForEach
{
    /// <summary>One page per project.</summary>
    Project,
    /// <summary>One page for all projects.</summary>
    None,
    /// <summary>One page per project and archived month of SAL entries.</summary>
    SalMonth,
}

/// <summary>What a pass does with a section someone else edited since WikiSync last saved or verified it (<c>human_edits:</c>).</summary>
public enum HumanEditPolicy
{
    /// <summary>Regenerate it, naming the replaced edit in the summary, the status page and the sync output.</summary>
    Replace,
    /// <summary>Leave it as the person wrote it until its data changes or an operator takes it back.</summary>
    Keep,
}
