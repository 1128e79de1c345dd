using Microsoft.Extensions.Logging;
using Quartz;
using WikiSync.Sync;

namespace WikiSync.Scheduling;

/// <summary>
/// The one Quartz job class: runs the sync flow for the job named in its data (and, for a refresh, only
/// the projects named). Quartz keeps one run per job at a time across the whole cluster.
/// </summary>
[DisallowConcurrentExecution]
public sealed class SyncJob(
    ISyncRunner runner,
    JobRunHistory history,
    IWikiSyncMetrics metrics,
    TimeProvider time,
    ILogger<SyncJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var job = context.MergedJobDataMap.GetString(QuartzJobs.JobNameKey) ?? context.JobDetail.Key.Name;
        var projects = QuartzJobs.ReadProjects(context.MergedJobDataMap);
        // One line per firing with its scheduled time: the cluster tests count these across nodes.
        log.LogInformation("Job {Job} fired for {ScheduledFire:O}{Recovering}", job, context.ScheduledFireTimeUtc ?? context.FireTimeUtc,
            context.Recovering ? " (recovering a run a stopped node left)" : "");
        await RunAsync(runner, history, metrics, time, log, job, new SyncRequest([job], projects, DryRun: false), cancellationToken);
    }

    /// <summary>Runs one request and records it: shared with the SAL sweep and the refresh button.</summary>
    internal static async Task<SyncReport?> RunAsync(
        ISyncRunner runner,
        JobRunHistory history,
        IWikiSyncMetrics metrics,
        TimeProvider time,
        ILogger log,
        string label,
        SyncRequest request,
        CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        history.Started(label, started);
        try
        {
            var report = await runner.RunAsync(request, cancellationToken);
            var now = time.GetUtcNow();
            Record(history, metrics, label, report, now);
            var result = report.AllFine ? RunResult.Succeeded : RunResult.Failed;
            history.Finished(label, started, now, result, JobRunHistory.Summarize(report));
            metrics.JobFinished(label, result.ToString().ToLowerInvariant(), now - started);
            if (report.AllFine)
            {
                metrics.JobSucceeded(label, now);
                log.LogInformation("Job {Job} done: {Summary}", label, JobRunHistory.Summarize(report));
            }
            else
            {
                log.LogWarning("Job {Job} finished with problems: {Summary}", label, JobRunHistory.Summarize(report));
            }

            return report;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            history.Finished(label, started, time.GetUtcNow(), RunResult.Cancelled, "stopped by shutdown");
            metrics.JobFinished(label, "cancelled", time.GetUtcNow() - started);
            log.LogInformation("Job {Job} stopped by shutdown", label);
            return null;
        }
        catch (Exception e)
        {
            // A job never takes the scheduler down: the reason goes to the log and the status page.
            metrics.Error("job");
            history.Finished(label, started, time.GetUtcNow(), RunResult.Failed, e.Message);
            metrics.JobFinished(label, "failed", time.GetUtcNow() - started);
            log.LogError(e, "Job {Job} failed: {Reason}", label, e.Message);
            return null;
        }
    }

    private static void Record(JobRunHistory history, IWikiSyncMetrics metrics, string label, SyncReport report, DateTimeOffset now)
    {
        foreach (var page in report.Pages)
        {
            switch (page.Action)
            {
                case PageAction.Created or PageAction.Updated:
                    metrics.EditMade(label);
                    break;
                case PageAction.Unchanged:
                    metrics.PageUnchanged(label);
                    break;
                case PageAction.Failed:
                    metrics.Error("page");
                    break;
            }
            foreach (var replaced in page.HumanEdits.Where(e => e.Action == HumanEditAction.Replaced))
                metrics.HumanEditReplaced(replaced.Job);
        }

        foreach (var _ in report.BrokenJobs)
            metrics.Error("job");
    }
}
