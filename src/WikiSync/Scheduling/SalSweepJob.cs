using Microsoft.Extensions.Logging;
using Quartz;
using WikiSync.AdminLog;
using WikiSync.Sync;
using WikiSync.Jobs;

namespace WikiSync.Scheduling;

/// <summary>
/// Every minute: publishes SAL entries nobody has published yet (the wiki was down, a node died between
/// storing and publishing), by running the SAL jobs for the projects concerned.
/// </summary>
[DisallowConcurrentExecution]
public sealed class SalSweepJob(
    ILogEntryReader entries,
    JobCatalog catalog,
    ISyncRunner runner,
    JobRunHistory history,
    IWikiSyncMetrics metrics,
    TimeProvider time,
    ILogger<SalSweepJob> log,
    SalPublisher? publisher = null) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (publisher is null && !catalog.ScheduledJobs().Any(j => j.RendersSal))
            return;
        var salJobs = catalog.ScheduledJobs().Where(j => j.RendersSal).Select(j => j.Name).ToList();
        IReadOnlyList<string> projects;
        try
        {
            projects = await entries.ProjectsWithUnpublishedAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("SAL sweep could not read the entry store: {Reason}", e.Message);
            metrics.Error("store");
            return;
        }

        if (projects.Count == 0)
            return;
        log.LogInformation("SAL sweep: entries waiting for {Projects}", string.Join(", ", projects));
        if (publisher is not null)
        {
            // The publisher renders and then records which entries landed, so nothing is published twice.
            foreach (var project in projects)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!await publisher.PublishProjectAsync(project, cancellationToken))
                    log.LogWarning("SAL sweep: entries of {Project} still wait", project);
            }

            return;
        }

        await SyncJob.RunAsync(runner, history, metrics, time, log, QuartzJobs.SalSweepName,
            new SyncRequest(salJobs, projects, DryRun: false), cancellationToken);
    }
}
