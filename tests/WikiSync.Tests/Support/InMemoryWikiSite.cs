using System.Globalization;
using WikiSync.Wiki;

namespace WikiSync.Tests.Support;

/// <summary>
/// An <see cref="IWikiSite"/> in memory that refuses edits the way MediaWiki does: an edit based on an
/// older revision, a create of an existing page and an edit of a deleted page are refusals of kind
/// <see cref="WikiErrorKind.EditConflict"/> (as the real client words them),
/// and the same text again is answered as unchanged. <see cref="BeforeEdit"/> lets a test play the human
/// who saves between WikiSync's read and its write.
/// </summary>
public sealed class InMemoryWikiSite : IWikiSite
{
    private readonly Dictionary<string, List<StoredRevision>> _pages = new(StringComparer.Ordinal);
    private readonly List<EditRequest> _edits = [];
    private readonly Lock _lock = new();
    private long _nextRevision = 1;
    private int _clock;

    /// <summary>Runs before each edit is judged, e.g. to save a human's change with <see cref="Save"/>.</summary>
    public Action<EditRequest>? BeforeEdit { get; set; }

    /// <summary>Throws this (once) instead of saving the next edit, e.g. WikiApiException.ProtectedPage(title).</summary>
    public Exception? FailNextEdit { get; set; }

    public int ReadCalls { get; private set; }

    /// <summary>Every edit asked for, saved or not.</summary>
    public IReadOnlyList<EditRequest> Edits
    {
        get
        {
            lock (_lock)
                return [.. _edits];
        }
    }

    /// <summary>Saves a page as someone else (a human, or test setup).</summary>
    public long Save(string title, string text, string user = "Human")
    {
        lock (_lock)
        {
            if (!_pages.TryGetValue(title, out var history))
                _pages[title] = history = [];
            var revision = new StoredRevision(_nextRevision++, text, user, Tick());
            history.Add(revision);
            return revision.Id;
        }
    }

    public void Delete(string title)
    {
        lock (_lock)
            _pages.Remove(title);
    }

    public string? TextOf(string title)
    {
        lock (_lock)
            return _pages.TryGetValue(title, out var history) ? history[^1].Text : null;
    }

    /// <summary>All saved texts of a page with who saved them, oldest first.</summary>
    public IReadOnlyList<(string User, string Text)> History(string title)
    {
        lock (_lock)
            return _pages.TryGetValue(title, out var history) ? [.. history.Select(r => (r.User, r.Text))] : [];
    }

    public Task<IReadOnlyDictionary<string, WikiPage>> ReadPagesAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(titles);
        lock (_lock)
        {
            ReadCalls++;
            var now = Tick();
            var pages = new Dictionary<string, WikiPage>(StringComparer.Ordinal);
            foreach (var title in titles)
            {
                pages[title] = _pages.TryGetValue(title, out var history)
                    ? new WikiPage(title, true, history[^1].Text, history[^1].Id, history[^1].Timestamp, now)
                    : WikiPage.Missing(title, now);
            }
            return Task.FromResult<IReadOnlyDictionary<string, WikiPage>>(pages);
        }
    }

    public Task<EditResult> EditAsync(EditRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        BeforeEdit?.Invoke(request);
        lock (_lock)
        {
            _edits.Add(request);
            if (FailNextEdit is { } failure)
            {
                FailNextEdit = null;
                throw failure;
            }
            var exists = _pages.TryGetValue(request.Title, out var history);
            if (!request.Basis.Exists && exists)
                throw WikiApiException.ArticleExists(request.Title);
            if (request.Basis.Exists && !exists)
                throw WikiApiException.MissingTitle(request.Title);
            if (exists && history![^1].Id != request.Basis.RevisionId)
                throw WikiApiException.EditConflict(request.Title);
            if (exists && history![^1].Text == request.Text)
                return Task.FromResult(new EditResult(request.Title, false, history[^1].Id, history[^1].Timestamp));
            var id = Save(request.Title, request.Text, "WikiSyncBot");
            return Task.FromResult(new EditResult(request.Title, true, id, _pages[request.Title][^1].Timestamp));
        }
    }

    private string Tick() =>
        new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(++_clock).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record StoredRevision(long Id, string Text, string User, string Timestamp);
}
