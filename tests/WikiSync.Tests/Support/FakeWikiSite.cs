using System.Globalization;
using WikiSync.Wiki;

namespace WikiSync.Tests.Support;

/// <summary>
/// An in-memory wiki with revision history. Edits are checked against the revision they were based on,
/// like MediaWiki's basetimestamp, so a human edit in between is an edit conflict. Tests can act
/// between the bot's read and write with <see cref="BeforeEdit"/> and inject refusals with <see cref="Refuse"/>.
/// </summary>
public sealed class FakeWikiSite : IWikiSite
{
    private readonly Dictionary<string, List<Revision>> _pages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WikiApiException> _refusals = new(StringComparer.Ordinal);
    // A pass reads the next batch of pages while it saves the one before: reads and edits come from two tasks.
    private readonly Lock _lock = new();
    private long _nextRevision = 100;
    private readonly HashSet<long> _superseded = [];
    private readonly HashSet<long> _touched = [];
    private readonly Dictionary<string, long> _pageIds = new(StringComparer.Ordinal);
    private long _lastPageId;

    public sealed record Revision(long Id, string Text, string User, string Summary);

    /// <summary>Called before each edit is applied; the test may save a human revision here.</summary>
    public Func<EditRequest, int, Task>? BeforeEdit { get; set; }

    public int ReadRequests { get; private set; }

    /// <summary>Decides, for each read of page texts, whether the wiki fails it (null: it answers).</summary>
    public Func<IReadOnlyCollection<string>, Exception?>? ReadFailure { get; set; }

    public List<IReadOnlyCollection<string>> ReadBatches { get; } = [];

    public List<EditRequest> Edits { get; } = [];

    public int EditAttempts { get; private set; }

    public void Refuse(string title, WikiApiException error) => _refusals[title] = error;

    public long Save(string title, string text, string user = "Editor", string summary = "hand edit")
    {
        lock (_lock)
        {
            if (!_pages.TryGetValue(title, out var revisions))
            {
                _pages[title] = revisions = [];
                _pageIds[title] = ++_lastPageId;
            }
            else if (revisions.Count > 0)
                _superseded.Add(revisions[^1].Id);
            var id = ++_nextRevision;
            revisions.Add(new Revision(id, text, user, summary));
            return id;
        }
    }

    public string? Text(string title)
    {
        lock (_lock)
            return _pages.TryGetValue(title, out var r) ? r[^1].Text : null;
    }

    public IReadOnlyList<Revision> History(string title)
    {
        lock (_lock)
            return _pages.TryGetValue(title, out var r) ? [.. r] : [];
    }

    public Task<IReadOnlyDictionary<string, WikiPage>> ReadPagesAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken)
    {
        var now = "2026-11-25T12:00:00Z";
        var result = new Dictionary<string, WikiPage>(StringComparer.Ordinal);
        lock (_lock)
        {
            ReadRequests++;
            ReadBatches.Add(titles);
            if (ReadFailure?.Invoke(titles) is { } failure)
                throw failure;
            foreach (var title in titles)
            {
                result[title] = _pages.TryGetValue(title, out var revisions)
                    ? new WikiPage(title, true, revisions[^1].Text, revisions[^1].Id, Stamp(revisions[^1].Id), now) { PageId = _pageIds[title] }
                    : WikiPage.Missing(title, now);
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, WikiPage>>(result);
    }

    public async Task<EditResult> EditAsync(EditRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        EditAttempts++;
        if (BeforeEdit is { } hook)
            await hook(request, EditAttempts);
        if (_refusals.TryGetValue(request.Title, out var refusal))
            throw refusal;
        lock (_lock)
        {
            var exists = _pages.TryGetValue(request.Title, out var revisions);
            if (!request.Basis.Exists && exists)
                throw WikiApiException.ArticleExists(request.Title);
            if (request.Basis.Exists && !exists)
                throw WikiApiException.MissingTitle(request.Title);
            if (exists && revisions![^1].Id != request.Basis.RevisionId && !MergeConflicts)
                throw WikiApiException.EditConflict(request.Title);
            if (exists && revisions![^1].Text == request.Text)
                return new EditResult(request.Title, false, revisions[^1].Id, Stamp(revisions[^1].Id));
            Edits.Add(request);
            var parent = exists ? revisions![^1].Id : 0;
            var id = Save(request.Title, request.Text, "WikiSyncBot", request.Summary);
            return new EditResult(request.Title, true, id, Stamp(id)) { ParentRevisionId = parent, PageId = _pageIds[request.Title] };
        }
    }

    /// <summary>Like MediaWiki with distant changes: an edit based on an older revision is saved on top of the newer one.</summary>
    public bool MergeConflicts { get; set; }

    /// <summary>Batches of titles asked for their latest revision only (prop=info).</summary>
    public List<IReadOnlyCollection<string>> InfoBatches { get; } = [];

    /// <summary>Every title whose text was read, over all batches (the shutoff page included).</summary>
    public IEnumerable<string> TitlesRead => ReadBatches.SelectMany(b => b);

    public Task<IReadOnlyDictionary<string, long>> ReadLastRevisionsAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        lock (_lock)
        {
            InfoBatches.Add(titles);
            foreach (var title in titles)
                result[title] = _pages.TryGetValue(title, out var revisions) ? revisions[^1].Id : 0;
        }
        return Task.FromResult<IReadOnlyDictionary<string, long>>(result);
    }

    /// <summary>How often a pass got the session ready ahead of its reads.</summary>
    public int SessionsPrepared { get; private set; }

    /// <summary>Thrown by the next session preparations (a refused or failed login).</summary>
    public Exception? SessionFailure { get; set; }

    public async Task PrepareSessionAsync(CancellationToken cancellationToken)
    {
        SessionsPrepared++;
        await Task.Yield();
        if (SessionFailure is { } failure)
            throw failure;
    }

    public void Delete(string title)
    {
        lock (_lock)
        {
            _pages.Remove(title);
            if (_pageIds.Remove(title, out var id))
                _touched.Add(id);
        }
    }

    /// <summary>Whether the wiki answers recent changes (off: like a wiki that cannot tell, so pages are asked their revision).</summary>
    public bool RecentChanges { get; set; }

    /// <summary>The times recent changes were asked, with the moment asked from.</summary>
    public List<DateTimeOffset> RecentChangesAsked { get; } = [];

    /// <summary>Every edit ever saved is in this wiki's recent changes, whatever the moment asked from: a wider window only costs rows.</summary>
    public Task<RecentEdits?> ReadRecentEditsAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            RecentChangesAsked.Add(since);
            return Task.FromResult(RecentChanges ? new RecentEdits(_superseded.ToHashSet(), _touched.ToHashSet()) : null);
        }
    }

    private static string Stamp(long id) => string.Create(CultureInfo.InvariantCulture, $"2026-11-25T00:{id / 60 % 60:00}:{id % 60:00}Z");
}
