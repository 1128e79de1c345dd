namespace WikiSync.Jobs;

/// <summary>
/// What the scheduler needs of one job file: its name, when it runs, and whether it renders the SAL
/// (those also run from the SAL sweep when entries wait to be published).
/// </summary>
public sealed record ScheduledJob(string Name, JobSchedule Schedule, bool RendersSal = false);

/// <summary>
/// The jobs to schedule, read from <c>jobs/*.yaml</c>. A broken job is left out (and logged by the
/// catalog with file:line:column) so the others still run.
/// </summary>
public interface IJobCatalog
{
    IReadOnlyList<ScheduledJob> ScheduledJobs();
}

/// <summary>A fixed list, for tests and for a host given its jobs directly.</summary>
public sealed class FixedJobCatalog(IReadOnlyList<ScheduledJob> jobs) : IJobCatalog
{
    public IReadOnlyList<ScheduledJob> ScheduledJobs() => jobs;
}
