namespace WikiSync.Sync;

/// <summary>
/// How the runner behaves: the emergency stop page, how often to retry an edit conflict, and how long the
/// page in hand may take to finish once the run is cancelled, and how long a whole pass may take.
/// </summary>
public sealed record SyncOptions(string ShutoffPage, int MaxConflictRetries = 5, string SummaryPrefix = "WikiSync")
{
    /// <summary>How long the page in hand (its edit, a conflict's re-read, its bookkeeping) may go on after the stop.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one pass may take before it is stopped and reported failed (<c>pass_timeout</c>): a source
    /// that never answers must not hold the sync gate, and so every later pass, forever.
    /// </summary>
    public TimeSpan PassTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
