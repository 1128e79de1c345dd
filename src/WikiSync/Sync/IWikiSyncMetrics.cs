namespace WikiSync.Sync;

/// <summary>
/// The counters <c>/metrics</c> shows. The sync flow and the wiki client call these at the moment things
/// happen.
/// </summary>
public interface IWikiSyncMetrics
{
    void EditMade(string job);

    void PageUnchanged(string job);

    void ConflictRetried();

    /// <summary>A section an editor (not WikiSync) had changed was regenerated over their edit (<c>human_edits: replace</c>, or its data changed, or taken back).</summary>
    void HumanEditReplaced(string job);

    /// <summary>A failure, by its short code: a MediaWiki error code, <c>source</c>, <c>template</c>, ...</summary>
    void Error(string code);

    /// <summary>A request tried again after maxlag, ratelimited, readonly, 5xx or a timeout.</summary>
    void Retry(string reason);

    void JobSucceeded(string job, DateTimeOffset at);

    /// <summary>A run ended (<paramref name="result"/>: succeeded, failed or cancelled): what a script waits for after asking for a refresh.</summary>
    void JobFinished(string job, string result, TimeSpan duration)
    {
    }

    /// <summary>An OpenStack notification handled: its event type and what came of it (queued, ignored, unknown, malformed, ...).</summary>
    void Notification(string eventType, string result)
    {
    }
}
