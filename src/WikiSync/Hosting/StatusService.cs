using WikiSync.Notifications;
using Quartz;
using WikiSync.Jobs;
using WikiSync.Scheduling;
using WikiSync.Sync;

namespace WikiSync.Hosting;

/// <summary>Gathers the status page's model from the scheduler, the run history and the monitors.</summary>
public sealed class StatusService(
    ISchedulerFactory schedulers,
    JobCatalog catalog,
    JobRunHistory history,
    ShutoffMonitor shutoff,
    ILeadership leadership,
    ISalBacklogReader backlog,
    IProjectNames projects,
    RequestGuard guard,
    IEditJournal journal,
    RunSettings settings,
    NotificationState notifications,
    TimeProvider time)
{
    public async Task<StatusModel> GatherAsync(string? notice, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var jobs = new List<JobStatus>();
        foreach (var job in catalog.ScheduledJobs())
        {
            var trigger = await scheduler.GetTrigger(QuartzJobs.TriggerKeyOf(job.Name), cancellationToken);
            history.LastRuns.TryGetValue(job.Name, out var run);
            jobs.Add(new JobStatus(job.Name, job.Schedule.Description, run, trigger?.NextFireTimeUtc));
        }

        var sweep = await scheduler.GetTrigger(new TriggerKey(QuartzJobs.SalSweepName, QuartzJobs.SystemGroup), cancellationToken);
        history.LastRuns.TryGetValue(QuartzJobs.SalSweepName, out var sweepRun);
        jobs.Add(new JobStatus(QuartzJobs.SalSweepName, JobSchedule.Every(QuartzJobs.SalSweepInterval).Description, sweepRun, sweep?.NextFireTimeUtc));
        foreach (var refresh in history.LastRuns.Values.Where(r => r.Job.StartsWith("refresh ", StringComparison.Ordinal)).OrderBy(r => r.Job, StringComparer.Ordinal))
            jobs.Add(new JobStatus(refresh.Job, "on demand", refresh, null));

        SalBacklog sal;
        try
        {
            sal = await backlog.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            sal = SalBacklog.None;
            notice ??= $"The SAL backlog could not be read: {e.Message}";
        }

        IReadOnlyList<string> names;
        try
        {
            names = await projects.ListAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            names = [];
            notice ??= $"The project list could not be read: {e.Message}";
        }

        IReadOnlyList<RecentEdit> edits;
        IReadOnlyList<HumanEditEvent> humanEdits;
        try
        {
            edits = await journal.RecentAsync(30, cancellationToken);
            humanEdits = await journal.HumanEditsAsync(30, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            (edits, humanEdits) = ([], []);
            notice ??= $"The recent edits could not be read: {e.Message}";
        }

        return new StatusModel(
            time.GetUtcNow(),
            scheduler.SchedulerInstanceId,
            leadership.IsLeader,
            settings.IsClustered ? "PostgreSQL (clustered)" : "SQLite " + settings.SqliteFile,
            shutoff.State,
            jobs,
            edits,
            sal,
            names,
            settings.WikiIndex,
            guard.AntiForgeryToken,
            notice)
        {
            HumanEdits = humanEdits,
            Notifications = notifications.Snapshot(),
        };
    }
}
