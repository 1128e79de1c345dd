using System.Collections.Concurrent;
using WikiSync.Sync;

namespace WikiSync.Scheduling;

/// <summary>How a run ended, for the status page.</summary>
public enum RunResult
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>One job's latest run on this node.</summary>
public sealed record JobRun(string Job, DateTimeOffset Started, DateTimeOffset? Finished, RunResult Result, string Summary);

/// <summary>
/// What this node ran lately: the last run of each job. Kept in memory: it is what the status page shows
/// of this node; the edits themselves go to the <c>IEditJournal</c>.
/// </summary>
public sealed class JobRunHistory
{
    private readonly ConcurrentDictionary<string, JobRun> _runs = new(StringComparer.Ordinal);
    public IReadOnlyDictionary<string, JobRun> LastRuns => _runs;

    public void Started(string job, DateTimeOffset at) =>
        _runs[job] = new JobRun(job, at, null, RunResult.Running, "running");

    public void Finished(string job, DateTimeOffset started, DateTimeOffset at, RunResult result, string summary) =>
        _runs[job] = new JobRun(job, started, at, result, summary);

    /// <summary>"2 updated, 1 created, 5 unchanged, 1 failed" and the broken jobs, for a status line.</summary>
    public static string Summarize(SyncReport report)
    {
        var parts = report.Pages
            .GroupBy(p => p.Action)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}")
            .ToList();
        parts.AddRange(report.BrokenJobs.Select(j => $"{j.Job} not run: {j.Reason}"));
        return parts.Count == 0 ? "no pages" : string.Join(", ", parts);
    }
}
