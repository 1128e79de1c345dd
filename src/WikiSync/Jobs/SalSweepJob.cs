using Microsoft.Extensions.Logging;
using Quartz;
using WikiSync.AdminLog;
using WikiSync.Hosting;
using WikiSync.Sync;

namespace WikiSync.Jobs;

/// <summary>
/// Every minute: publishes SAL entries nobody has published yet (the wiki was down, a node died between
/// storing and publishing), by running the SAL jobs for the projects concerned.
/// </summary>
[DisallowConcurrentExecution]
public sealed class SalSweepJob(
    ILogEntryReader entries,
    IJobCatalog catalog,
    ISyncRunner runner,
    JobRunHistory history,
    IWikiSyncMetrics metrics,
    TimeProvider time,
    ILogger<SalSweepJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var salJobs = catalog.ScheduledJobs().Where(j => j.RendersSal).Select(j => j.Name).ToList();
        if (salJobs.Count == 0)
            return;
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
        await SyncJob.RunAsync(runner, history, metrics, time, log, QuartzJobs.SalSweepName,
            new SyncRequest(salJobs, projects, DryRun: false), cancellationToken);
    }
}
