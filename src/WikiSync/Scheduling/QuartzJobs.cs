using Quartz;
using WikiSync.Jobs;

namespace WikiSync.Scheduling;

/// <summary>
/// How WikiSync jobs look inside Quartz: one <see cref="SyncJob"/> detail per job file (group
/// <see cref="JobGroup"/>, key = the job's name) with one trigger of the same name, plus the SAL sweep.
/// Misfires are set so that after downtime a job runs once, not once per missed tick.
/// </summary>
public static class QuartzJobs
{
    public const string JobGroup = "wikisync";
    public const string SystemGroup = "wikisync-system";
    public const string JobNameKey = "job";
    public const string ProjectsKey = "projects";
    public const string ScheduleKey = "schedule";
    public const string SalSweepName = "sal-sweep";

    public static readonly TimeSpan SalSweepInterval = TimeSpan.FromMinutes(1);

    public static JobKey KeyOf(string jobName) => new(jobName, JobGroup);

    public static TriggerKey TriggerKeyOf(string jobName) => new(jobName, JobGroup);

    public static JobKey SalSweepKey { get; } = new(SalSweepName, SystemGroup);

    public static IJobDetail SyncJobDetail(string jobName) =>
        JobBuilder.Create<SyncJob>()
            .WithIdentity(KeyOf(jobName))
            .WithDescription($"WikiSync job {jobName}")
            .UsingJobData(JobNameKey, jobName)
            // Durable so a refresh can fire it while its trigger is being replaced; recovery so a run
            // cut short by a dead node is run again by another one.
            .StoreDurably()
            .RequestRecovery()
            .Build();

    public static IJobDetail SalSweepDetail() =>
        JobBuilder.Create<SalSweepJob>()
            .WithIdentity(SalSweepKey)
            .WithDescription("Publishes SAL entries nobody has published yet")
            .StoreDurably()
            .RequestRecovery()
            .Build();

    /// <summary>The projects a refresh asked for (comma-separated in the job data); empty = all.</summary>
    public static IReadOnlyList<string> ReadProjects(JobDataMap data) =>
        data.GetString(ProjectsKey) is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];

    /// <summary>The trigger for a job file's schedule, its description recording the schedule it came from.</summary>
    public static ITrigger Trigger(JobKey job, TriggerKey key, JobSchedule schedule, TimeProvider time)
    {
        var builder = TriggerBuilder.Create(time)
            .WithIdentity(key)
            .ForJob(job)
            .WithDescription(schedule.Description)
            .UsingJobData(ScheduleKey, schedule.Description);
        if (schedule.Interval is { } interval)
        {
            return builder
                .StartNow()
                .WithSchedule(SimpleScheduleBuilder.Create()
                    .WithInterval(interval)
                    .RepeatForever()
                    // Missed ticks collapse into one run now, then the interval goes on from there.
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount))
                .Build();
        }

        return builder
            .StartNow()
            .WithSchedule(CronScheduleBuilder.Create(schedule.Cron!)
                .InTimeZone(TimeZoneInfo.Utc)
                // Missed fire times collapse into one run now, then the expression goes on.
                .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
    }
}
