using WikiSync.Wiki;
using WikiSync.Sync;

namespace WikiSync.Hosting;

/// <summary>
/// Counts what the wiki refuses, by MediaWiki error code, and the edit conflicts the sync flow then
/// answers by reading and splicing again. Everything else passes through untouched.
/// </summary>
public sealed class MeteredWikiSite(IWikiSite inner, IWikiSyncMetrics metrics) : IWikiSite
{
    public async Task<IReadOnlyDictionary<string, WikiPage>> ReadPagesAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.ReadPagesAsync(titles, cancellationToken);
        }
        catch (WikiApiException e)
        {
            metrics.Error(e.Code);
            throw;
        }
    }

    public async Task<IReadOnlyDictionary<string, long>> ReadLastRevisionsAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.ReadLastRevisionsAsync(titles, cancellationToken);
        }
        catch (WikiApiException e)
        {
            metrics.Error(e.Code);
            throw;
        }
    }

    public async Task<IReadOnlyDictionary<string, OtherEdit>> ReadOtherEditsAsync(IReadOnlyDictionary<string, long> after, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.ReadOtherEditsAsync(after, cancellationToken);
        }
        catch (WikiApiException e)
        {
            metrics.Error(e.Code);
            throw;
        }
    }

    public Task PrepareSessionAsync(CancellationToken cancellationToken) => inner.PrepareSessionAsync(cancellationToken);

    public async Task<RecentEdits?> ReadRecentEditsAsync(DateTimeOffset since, IReadOnlyCollection<string> alsoRead, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.ReadRecentEditsAsync(since, alsoRead, cancellationToken);
        }
        catch (WikiApiException e)
        {
            metrics.Error(e.Code);
            throw;
        }
    }

    public async Task<EditResult> EditAsync(EditRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.EditAsync(request, cancellationToken);
        }
        catch (WikiApiException e) when (e.Kind == WikiErrorKind.EditConflict)
        {
            // Every kind of "the page changed under us" (saved, deleted, created), as the sync flow retries them all.
            metrics.ConflictRetried();
            throw;
        }
        catch (WikiApiException e)
        {
            metrics.Error(e.Code);
            throw;
        }
    }
}
