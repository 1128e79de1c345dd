using Quartz;
using WikiSync.Jobs;
using WikiSync.Scheduling;

namespace WikiSync.Tests.Jobs;

public sealed class JobScheduleTests
{
    [Theory]
    [InlineData("1m", 60)]
    [InlineData("30s", 30)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("1h30m", 5400)]
    [InlineData(" 10m ", 600)]
    public void Every_reads_a_number_and_a_unit(string every, int seconds) =>
        JobSchedule.Parse(every, null, "jobs/x.yaml:2").Interval.ShouldBe(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Every_reads_milliseconds() =>
        JobSchedule.Parse("500ms", null, "jobs/x.yaml:2").Interval.ShouldBe(TimeSpan.FromMilliseconds(500));

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("five minutes")]
    [InlineData("1w")]
    [InlineData("-1m")]
    [InlineData("1.5m")]
    public void A_bad_interval_is_refused_naming_the_file_and_value(string every)
    {
        var e = Should.Throw<JobScheduleException>(() => JobSchedule.Parse(every, null, "jobs/x.yaml:3"));
        e.Message.ShouldStartWith("jobs/x.yaml:3: ");
        e.Message.ShouldContain($"every: {every}");
    }

    [Fact]
    public void An_interval_below_100ms_is_refused() =>
        Should.Throw<JobScheduleException>(() => JobSchedule.Parse("10ms", null, "j.yaml:1")).Message.ShouldContain("too short");

    [Fact]
    public void Cron_is_kept_as_written_when_Quartz_can_parse_it()
    {
        var schedule = JobSchedule.Parse(null, "0 */10 * * * ?", "jobs/index.yaml:2");
        schedule.Cron.ShouldBe("0 */10 * * * ?");
        schedule.Interval.ShouldBeNull();
        schedule.Description.ShouldBe("cron 0 */10 * * * ?");
    }

    [Fact]
    public void A_bad_cron_expression_is_refused_naming_the_file() =>
        Should.Throw<JobScheduleException>(() => JobSchedule.Parse(null, "every minute", "jobs/index.yaml:2"))
            .Message.ShouldStartWith("jobs/index.yaml:2: schedule `cron: \"every minute\"` is not a Quartz cron expression");

    [Fact]
    public void Both_every_and_cron_is_refused() =>
        Should.Throw<JobScheduleException>(() => JobSchedule.Parse("1m", "0 * * * * ?", "j.yaml:4")).Message.ShouldContain("both");

    [Fact]
    public void Neither_every_nor_cron_is_refused() =>
        Should.Throw<JobScheduleException>(() => JobSchedule.Parse(null, null, "j.yaml:4")).Message.ShouldContain("needs");

    [Fact]
    public void The_description_changes_with_the_schedule_so_a_changed_file_reschedules()
    {
        JobSchedule.Parse("1m", null, "a").Description.ShouldNotBe(JobSchedule.Parse("2m", null, "a").Description);
        JobSchedule.Parse("60s", null, "a").Description.ShouldBe(JobSchedule.Parse("1m", null, "a").Description);
    }
}

public sealed class QuartzJobsTests
{
    [Fact]
    public void An_interval_trigger_runs_once_now_after_missed_ticks()
    {
        var trigger = QuartzJobs.Trigger(QuartzJobs.KeyOf("members"), QuartzJobs.TriggerKeyOf("members"), JobSchedule.Every(TimeSpan.FromMinutes(1)), TimeProvider.System);
        var simple = trigger.ShouldBeAssignableTo<ISimpleTrigger>()!;
        simple.MisfireInstructionCode.ShouldBe((int)SimpleTriggerMisfireInstruction.NowWithExistingCount);
        simple.RepeatInterval.ShouldBe(TimeSpan.FromMinutes(1));
        simple.RepeatCount.ShouldBe(-1);
    }

    [Fact]
    public void A_cron_trigger_runs_once_now_after_missed_fire_times()
    {
        var trigger = QuartzJobs.Trigger(QuartzJobs.KeyOf("index"), QuartzJobs.TriggerKeyOf("index"), JobSchedule.Parse(null, "0 */10 * * * ?", "j"), TimeProvider.System);
        var cron = trigger.ShouldBeAssignableTo<ICronTrigger>()!;
        cron.MisfireInstructionCode.ShouldBe((int)CronTriggerMisfireInstruction.FireAndProceed);
        cron.CronExpressionString.ShouldBe("0 */10 * * * ?");
    }

    [Fact]
    public void The_trigger_records_its_schedule_so_a_restart_keeps_an_unchanged_one() =>
        QuartzJobs.Trigger(QuartzJobs.KeyOf("a"), QuartzJobs.TriggerKeyOf("a"), JobSchedule.Every(TimeSpan.FromSeconds(1)), TimeProvider.System)
            .Description.ShouldBe(JobSchedule.Every(TimeSpan.FromSeconds(1)).Description);

    [Fact]
    public void A_sync_job_may_not_run_twice_at_once_and_is_recovered_after_a_crash()
    {
        var detail = QuartzJobs.SyncJobDetail("instances");
        detail.ConcurrentExecutionDisallowed.ShouldBeTrue();
        detail.RequestsRecovery.ShouldBeTrue();
        detail.Durable.ShouldBeTrue();
        detail.JobDataMap.GetString(QuartzJobs.JobNameKey).ShouldBe("instances");
    }

    [Fact]
    public void Refresh_projects_are_read_from_the_job_data()
    {
        var data = new JobDataMap { [QuartzJobs.ProjectsKey] = "alpha, beta" };
        QuartzJobs.ReadProjects(data).ShouldBe(["alpha", "beta"]);
        QuartzJobs.ReadProjects(new JobDataMap()).ShouldBeEmpty();
    }
}
