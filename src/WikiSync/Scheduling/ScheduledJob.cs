using WikiSync.Jobs;

namespace WikiSync.Scheduling;

/// <summary>
/// What the scheduler needs of one job file: its name, when it runs, and whether it renders the SAL
/// (those also run from the SAL sweep when entries wait to be published).
/// </summary>
public sealed record ScheduledJob(string Name, JobSchedule Schedule, bool RendersSal = false);

public static class JobCatalogSchedules
{
    /// <summary>The jobs with a schedule, for the scheduler; SAL jobs also run from the SAL sweep.</summary>
    public static IReadOnlyList<ScheduledJob> ScheduledJobs(this JobCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return [.. catalog.Jobs.Where(j => j.Schedule is not null).Select(j => new ScheduledJob(j.Name, j.Schedule!, j.Source == JobSource.Sal))];
    }
}
