using System.Globalization;
using Quartz;
using WikiSync.Yaml;

namespace WikiSync.Jobs;

/// <summary>
/// When a job runs: <c>every: 1m</c> (a fixed interval) or <c>cron: "0 * * * * ?"</c> (a Quartz cron
/// expression). Exactly one of the two is set.
/// </summary>
public sealed record JobSchedule
{
    private JobSchedule(TimeSpan? interval, string? cron)
    {
        Interval = interval;
        Cron = cron;
    }

    public TimeSpan? Interval { get; }

    public string? Cron { get; }

    public static JobSchedule Every(TimeSpan interval) =>
        interval > TimeSpan.Zero ? new(interval, null) : throw new ArgumentOutOfRangeException(nameof(interval), "An interval must be positive.");

    /// <summary>
    /// Reads a job file's <c>schedule</c> map. <paramref name="where"/> names the file and line for the
    /// message of a bad value, e.g. <c>jobs/instances.yaml:3</c>.
    /// </summary>
    public static JobSchedule Parse(string? every, string? cron, string where)
    {
        if (every is not null && cron is not null)
            throw new JobScheduleException($"{where}: schedule has both `every` and `cron`; give one.");
        if (every is not null)
            return new(ParseInterval(every, where), null);
        if (cron is not null)
        {
            if (!CronExpression.TryParse(cron.Trim(), out _))
            {
                throw new JobScheduleException(
                    $"{where}: schedule `cron: \"{cron}\"` is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. \"0 * * * * ?\").");
            }

            return new(null, cron.Trim());
        }

        throw new JobScheduleException($"{where}: schedule needs `every: 1m` or `cron: \"0 * * * * ?\"`.");
    }

    /// <summary><c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c>, or combined as <c>1h30m</c>.</summary>
    public static TimeSpan ParseInterval(string text, string where)
    {
        if (!Durations.TryParse(text, bareSeconds: false, out var total))
        {
            throw new JobScheduleException(
                $"{where}: schedule `every: {text}` is not an interval; write a number and a unit, e.g. 30s, 1m, 2h, 1d.");
        }

        return total >= TimeSpan.FromMilliseconds(100)
            ? total
            : throw new JobScheduleException($"{where}: schedule `every: {text}` is too short; the shortest interval is 100ms.");
    }

    /// <summary>What the trigger is built from; a stored trigger with another description is replaced.</summary>
    public string Description => Interval is { } interval
        ? "every " + interval.ToString("c", CultureInfo.InvariantCulture)
        : "cron " + Cron;

    public override string ToString() => Description;
}

/// <summary>A schedule a person wrote wrong; the message names the file and the value.</summary>
public sealed class JobScheduleException(string message) : Exception(message);
