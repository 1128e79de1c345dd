using WikiSync.Sections;

namespace WikiSync.Jobs;

/// <summary>
/// One job file (<c>jobs/NAME.yaml</c>): which template renders which section of which pages, from
/// which source, how often. See the BRIEF's job-file keys; <see cref="JobLoader"/> reads them.
/// </summary>
public sealed record JobDefinition(
    string Name,
    string File,
    JobSchedule Schedule,
    JobSource Source,
    string Template,
    string Page,
    string Section,
    bool CreatePages,
    string Skeleton,
    Placement Placement,
    ForEach ForEach,
    IReadOnlyDictionary<string, string> Parameters)
{
    public const string DefaultSkeleton = "page-skeleton";
}

/// <summary>When a job runs by itself. Neither set = on demand only.</summary>
public sealed record JobSchedule(TimeSpan? Every, string? Cron)
{
    public static JobSchedule OnDemand { get; } = new(null, null);

    public override string ToString() =>
        Every is { } every ? $"every {every}" : Cron is { } cron ? $"cron {cron}" : "on demand";
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
