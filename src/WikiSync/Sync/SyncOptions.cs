namespace WikiSync.Sync;

/// <summary>
/// How the runner behaves: the emergency stop page, how often to retry an edit conflict, and how long the
/// page in hand may take to finish once the run is cancelled.
/// </summary>
public sealed record SyncOptions(string ShutoffPage, int MaxConflictRetries = 5, string SummaryPrefix = "WikiSync")
{
    /// <summary>How long the page in hand (its edit, a conflict's re-read, its bookkeeping) may go on after the stop.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(30);
}
