namespace WikiSync.Sync;

/// <summary>
/// One pass: the jobs and projects to cover (empty = all) and whether to write. <see cref="Summary"/>,
/// when given, is the edit summary for the edits of this pass (the SAL publisher names the entries it
/// publishes); otherwise the runner names the sections changed.
/// </summary>
public sealed record SyncRequest(IReadOnlyList<string> Jobs, IReadOnlyList<string> Projects, bool DryRun, string? Summary = null)
{
    /// <summary>
    /// When set, the only SAL archive months (<c>yyyy-MM</c>) this pass renders: the SAL publisher names the
    /// month that closed last and the months of the entries it publishes, since no other archive page can
    /// have changed. Null: every archive month. Keeps a pass about new entries flat in the history's length.
    /// </summary>
    public IReadOnlySet<string>? ArchiveMonths { get; init; }

    /// <summary>
    /// SAL entries (ids) this pass leaves out of every page it renders, as if they were not stored: the SAL
    /// publisher renders part of a batch the wiki refused, to find the entry it refuses. Null: none.
    /// </summary>
    public IReadOnlySet<long>? SalWithheld { get; init; }

    /// <summary>Told each page's outcome as it is decided (the CLI's progress bar and its lines).</summary>
    public IProgress<SyncProgress>? Progress { get; init; }

    /// <summary>
    /// False: the report's outcomes carry no page text or diff (the progress reports still do), so a caller
    /// that prints each page as it is decided does not hold every page's text until the end (issue 6: a
    /// 10,000-page dry run).
    /// </summary>
    public bool KeepTexts { get; init; } = true;

    /// <summary>
    /// Pages whose held sections (edited by someone, kept by <c>human_edits: keep</c>) are regenerated
    /// now (<c>wikisync sync --take-back TITLE</c>); the edit summary names the edit replaced.
    /// </summary>
    public IReadOnlyList<string> TakeBack { get; init; } = [];

    /// <summary>
    /// Someone waits for this pass (a <c>!log</c> entry, an OpenStack notification, the Refresh button, the CLI):
    /// it enters the sync gate before the scheduled passes waiting there.
    /// </summary>
    public bool Urgent { get; init; }

    public static SyncRequest All { get; } = new([], [], false);
}
