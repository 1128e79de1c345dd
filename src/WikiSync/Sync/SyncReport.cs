namespace WikiSync.Sync;

/// <summary>What a pass did, one outcome a page, plus the jobs that could not run at all.</summary>
public sealed record SyncReport(IReadOnlyList<PageOutcome> Pages, IReadOnlyList<JobProblem> BrokenJobs)
{
    public bool AllFine => BrokenJobs.Count == 0 && Pages.All(p => p.Action != PageAction.Failed);
}

/// <summary>A job skipped as a whole (bad template, failed source), with the reason for the operator.</summary>
public sealed record JobProblem(string Job, string Reason);
