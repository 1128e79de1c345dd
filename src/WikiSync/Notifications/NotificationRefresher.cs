using Microsoft.Extensions.Logging;
using WikiSync.Jobs;
using WikiSync.Scheduling;
using WikiSync.Storage;
using WikiSync.Sync;

namespace WikiSync.Notifications;

/// <summary>
/// Runs the jobs whose job file says <c>refresh_on: [SCOPE]</c> for one project (or every project) through the
/// same gated runner and record keeping as the scheduler and the refresh button (<see cref="SyncJob.RunAsync"/>),
/// and clears the target's pending row when the run went well; otherwise the row stays for the sweep.
/// </summary>
public sealed class NotificationRefresher(
    ISyncRunner runner,
    JobRunHistory history,
    IWikiSyncMetrics metrics,
    JobCatalog catalog,
    PendingRefreshesStore pending,
    TimeProvider time,
    ILogger<NotificationRefresher> log)
{
    /// <summary>The run label (status page, metrics, log) of a notified refresh.</summary>
    public static string LabelOf(RefreshTarget target) => "refresh " + target;

    /// <summary>True when done (or nothing to do); false when it stays pending.</summary>
    public async Task<bool> RefreshAsync(RefreshTarget target, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var jobs = catalog.Jobs.Where(j => j.RefreshOn.Contains(target.Scope, StringComparer.Ordinal)).Select(j => j.Name).ToList();
        if (jobs.Count == 0)
        {
            log.LogInformation("No job file says refresh_on: [{Scope}]; notification for {Target} needs no run", target.Scope, target.ToString());
            await pending.DoneAsync(target.Project, target.Scope, started, cancellationToken);
            return true;
        }

        IReadOnlyList<string> projects = target.Project == RefreshTarget.AllProjects ? [] : [target.Project];
        var label = LabelOf(target);
        var report = await SyncJob.RunAsync(runner, history, metrics, time, log, label, new SyncRequest(jobs, projects, DryRun: false) { Urgent = true }, cancellationToken);
        if (report is not { AllFine: true })
        {
            log.LogWarning("Notification {Label} did not finish well; it stays pending for the sweep", label);
            return false;
        }

        await pending.DoneAsync(target.Project, target.Scope, started, cancellationToken);
        // The integration tests wait on this line.
        log.LogInformation("Notification {Label} done: {Edits} pages edited", label,
            report.Pages.Count(p => p.Action is PageAction.Created or PageAction.Updated));
        return true;
    }
}
