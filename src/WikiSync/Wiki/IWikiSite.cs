namespace WikiSync.Wiki;

/// <summary>
/// The part of a MediaWiki that the sync pipeline needs. <see cref="WikiSite"/> is the real one;
/// tests use a fake. It knows nothing of sections.
/// </summary>
public interface IWikiSite
{
    /// <summary>
    /// Reads the current revision of each title, in batches. The result is keyed by the title exactly
    /// as asked (normalisation is mapped back), and holds every asked title, missing pages included.
    /// </summary>
    Task<IReadOnlyDictionary<string, WikiPage>> ReadPagesAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken);

    /// <summary>
    /// Saves one edit. Throws a <see cref="WikiApiException"/> of kind <see cref="WikiErrorKind.EditConflict"/>
    /// when someone else saved (or deleted or created the page) in between, of another kind for every other refusal.
    /// </summary>
    Task<EditResult> EditAsync(EditRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Gets the session ready (logs in) ahead of the first read, so its round trips can overlap other
    /// work such as rendering. A failure here is the failure the first read would have had. This default
    /// does nothing: the first request logs in.
    /// </summary>
    Task PrepareSessionAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The edits and page events in the wiki's recent changes since <paramref name="since"/>
    /// (<c>list=recentchanges</c>): one cheap request instead of asking every page its revision. Null when
    /// the wiki cannot tell completely (too many changes to page through); this default cannot tell.
    /// The current texts of <paramref name="alsoRead"/> (a few titles, such as the emergency stop page) come
    /// in the same request, in <see cref="RecentEdits.Pages"/>, when the wiki answers them plainly.
    /// </summary>
    Task<RecentEdits?> ReadRecentEditsAsync(DateTimeOffset since, IReadOnlyCollection<string> alsoRead, CancellationToken cancellationToken) =>
        Task.FromResult<RecentEdits?>(null);

    /// <summary>
    /// For each title, the newest revision after the one given that another account than ours saved
    /// (<c>prop=revisions</c> with <c>rvprop=ids|user|timestamp</c>, one request for all titles; a page whose
    /// latest revision is ours is looked at further back). A title with none, or that the wiki does not
    /// answer, is left out; this default cannot tell.
    /// </summary>
    Task<IReadOnlyDictionary<string, OtherEdit>> ReadOtherEditsAsync(IReadOnlyDictionary<string, long> after, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, OtherEdit>>(new Dictionary<string, OtherEdit>());

    /// <summary>
    /// The latest revision id of each title without its text (<c>prop=info</c>, batched like
    /// <see cref="ReadPagesAsync"/>): 0 for a missing page; a title the wiki refuses or does not report is
    /// left out, so the caller reads it in full and gets the reason. This default reads the texts.
    /// </summary>
    async Task<IReadOnlyDictionary<string, long>> ReadLastRevisionsAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken)
    {
        var pages = await ReadPagesAsync(titles, cancellationToken);
        return pages.ToDictionary(p => p.Key, p => p.Value.Exists ? p.Value.RevisionId : 0, StringComparer.Ordinal);
    }
}
