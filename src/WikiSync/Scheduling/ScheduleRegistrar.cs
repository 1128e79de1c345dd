using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using WikiSync.Jobs;

namespace WikiSync.Scheduling;

/// <summary>
/// Brings the stored schedule in line with <c>jobs/</c> before the scheduler starts. A trigger whose
/// schedule has not changed is kept as stored, so ticks missed while every node was down are seen as
/// misfires (one run, not one per tick); a changed schedule replaces its trigger; a job file that is
/// gone takes its job with it. Several nodes starting at once is fine: every step is idempotent.
/// </summary>
public sealed class ScheduleRegistrar(
    ISchedulerFactory schedulers,
    JobCatalog catalog,
    TimeProvider time,
    ILogger<ScheduleRegistrar> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var jobs = catalog.ScheduledJobs();
        foreach (var job in jobs)
        {
            await EnsureAsync(scheduler, QuartzJobs.SyncJobDetail(job.Name), QuartzJobs.TriggerKeyOf(job.Name), job.Schedule, cancellationToken);
        }

        await EnsureAsync(scheduler, QuartzJobs.SalSweepDetail(), new TriggerKey(QuartzJobs.SalSweepName, QuartzJobs.SystemGroup),
            JobSchedule.Every(QuartzJobs.SalSweepInterval), cancellationToken);

        var wanted = jobs.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(QuartzJobs.JobGroup), cancellationToken))
        {
            if (!wanted.Contains(key.Name))
            {
                log.LogInformation("Job {Job} has no job file any more: unscheduled", key.Name);
                await scheduler.DeleteJob(key, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task EnsureAsync(IScheduler scheduler, IJobDetail detail, TriggerKey triggerKey, JobSchedule schedule, CancellationToken cancellationToken)
    {
        await scheduler.AddJob(detail, AddJobOptions.Replacing, cancellationToken);
        var trigger = QuartzJobs.Trigger(detail.Key, triggerKey, schedule, time);
        var stored = await scheduler.GetTrigger(triggerKey, cancellationToken);
        if (stored is null)
        {
            try
            {
                await scheduler.ScheduleJob(trigger, cancellationToken: cancellationToken);
                log.LogInformation("Job {Job} scheduled: {Schedule}", detail.Key.Name, schedule.Description);
            }
            catch (ObjectAlreadyExistsException)
            {
                // Another node scheduled it between our look and our write: theirs is as good as ours.
            }
        }
        else if (!string.Equals(stored.Description, schedule.Description, StringComparison.Ordinal))
        {
            await scheduler.RescheduleJob(triggerKey, trigger, cancellationToken);
            log.LogInformation("Job {Job} rescheduled: {Schedule} (was {Previous})", detail.Key.Name, schedule.Description, stored.Description);
        }
    }
}
