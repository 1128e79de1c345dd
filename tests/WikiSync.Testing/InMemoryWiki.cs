using System.Globalization;
using WikiSync.Wiki;

namespace WikiSync.Testing;

/// <summary>
/// The one in-memory <see cref="IWikiSite"/> of the unit tests: pages with revision history that refuse
/// edits the way MediaWiki does. An edit based on an older revision is an <c>editconflict</c>
/// (unless <see cref="MergeConflicts"/>), a create of an existing page <c>articleexists</c>,
/// an edit of a deleted page <c>missingtitle</c> (each a <see cref="WikiErrorKind.EditConflict"/>), and the same text again is answered as
/// unchanged. Tests act between the bot's read and its write with <see cref="BeforeEdit"/> (a human saving
/// with <see cref="Save"/>) and inject refusals with <see cref="Refuse"/>, <see cref="ReadFailure"/> and
/// <see cref="SessionFailure"/>. Thread-safe: a pass reads the next batch while it saves the one before.
/// </summary>
public sealed class InMemoryWiki : IWikiSite
{
    private const string Now = "2026-11-25T12:00:00Z";

    private readonly Dictionary<string, List<Revision>> _pages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WikiApiException> _refusals = new(StringComparer.Ordinal);
    private readonly List<string> _refusedMarkers = [];
    private readonly Lock _lock = new();
    private readonly HashSet<long> _superseded = [];
    private readonly HashSet<long> _touched = [];
    private readonly Dictionary<string, long> _pageIds = new(StringComparer.Ordinal);
    private long _nextRevision = 100;
    private long _lastPageId;
    private int _editAttempts;
    private int _readRequests;
    private int _sessionsPrepared;

    public sealed record Revision(long Id, string Text, string User, string Summary);

    /// <summary>Called before each edit is judged (with the attempt number, from 1); the test may save a human revision here.</summary>
    public Func<EditRequest, int, Task>? BeforeEdit { get; set; }

    /// <summary>Decides, for each read of page texts, whether the wiki fails it (null: it answers).</summary>
    public Func<IReadOnlyCollection<string>, Exception?>? ReadFailure { get; set; }

    /// <summary>Like MediaWiki with distant changes: an edit based on an older revision is saved on top of the newer one.</summary>
    public bool MergeConflicts { get; set; }

    /// <summary>Whether the wiki answers recent changes (off: like a wiki that cannot tell, so pages are asked their revision).</summary>
    public bool RecentChanges { get; set; }

    /// <summary>Thrown by the next session preparations (a refused or failed login).</summary>
    public Exception? SessionFailure { get; set; }

    public int ReadRequests => Volatile.Read(ref _readRequests);

    public List<IReadOnlyCollection<string>> ReadBatches { get; } = [];

    /// <summary>Every title whose text was read, over all batches.</summary>
    public IEnumerable<string> TitlesRead
    {
        get
        {
            lock (_lock)
                return [.. ReadBatches.SelectMany(b => b)];
        }
    }

    /// <summary>Batches of titles asked for their latest revision only (prop=info).</summary>
    public List<IReadOnlyCollection<string>> InfoBatches { get; } = [];

    /// <summary>The edits saved with a change (refused and unchanged ones are not here; see <see cref="EditAttempts"/>).</summary>
    public List<EditRequest> Edits { get; } = [];

    public int EditAttempts => Volatile.Read(ref _editAttempts);

    /// <summary>How often a pass got the session ready ahead of its reads.</summary>
    public int SessionsPrepared => Volatile.Read(ref _sessionsPrepared);

    /// <summary>The times recent changes were asked, with the moment asked from.</summary>
    public List<DateTimeOffset> RecentChangesAsked { get; } = [];

    /// <summary>Every edit of this title is refused with this error from now on.</summary>
    public void Refuse(string title, WikiApiException error)
    {
        lock (_lock)
            _refusals[title] = error;
    }

    /// <summary>
    /// Every edit whose text or summary holds <paramref name="marker"/> is refused with the wiki's answer to
    /// $wgSpamRegex (<c>spamprotectionmatch</c> in MediaWiki 1.39), as the local test wiki refuses <c>WIKISYNC-SPAM-TEST</c>.
    /// </summary>
    public void RefuseContaining(string marker)
    {
        lock (_lock)
            _refusedMarkers.Add(marker);
    }

    /// <summary>The refusal the wiki client makes of the local wiki's answer to a text matching $wgSpamRegex.</summary>
    public static WikiApiException SpamDetected(string title, string marker) =>
        new(WikiErrorKind.SpamBlacklist, "spamprotectionmatch", $"The wiki's spam filter refused the edit of \"{title}\" (The following text is what triggered our spam filter: {marker}).") { Title = title };

    /// <summary>Saves a page as someone else (a human, or test setup); returns the new revision id.</summary>
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

    public void Delete(string title)
    {
        lock (_lock)
        {
            _pages.Remove(title);
            if (_pageIds.Remove(title, out var id))
                _touched.Add(id);
        }
    }

    /// <summary>The current text of a page; null when it does not exist.</summary>
    public string? Text(string title)
    {
        lock (_lock)
            return _pages.TryGetValue(title, out var r) ? r[^1].Text : null;
    }

    /// <summary>Every revision of a page, oldest first.</summary>
    public IReadOnlyList<Revision> History(string title)
    {
        lock (_lock)
            return _pages.TryGetValue(title, out var r) ? [.. r] : [];
    }

    public Task<IReadOnlyDictionary<string, WikiPage>> ReadPagesAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(titles);
        lock (_lock)
        {
            _readRequests++;
            ReadBatches.Add(titles);
            if (ReadFailure?.Invoke(titles) is { } failure)
                throw failure;
        }
        return PeekAsync(titles);
    }

    private Task<IReadOnlyDictionary<string, WikiPage>> PeekAsync(IReadOnlyCollection<string> titles)
    {
        var result = new Dictionary<string, WikiPage>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var title in titles)
            {
                result[title] = _pages.TryGetValue(title, out var revisions)
                    ? new WikiPage(title, true, revisions[^1].Text, revisions[^1].Id, Stamp(revisions[^1].Id), Now) { PageId = _pageIds[title] }
                    : WikiPage.Missing(title, Now);
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, WikiPage>>(result);
    }

    public async Task<EditResult> EditAsync(EditRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var attempt = Interlocked.Increment(ref _editAttempts);
        if (BeforeEdit is { } hook)
            await hook(request, attempt);
        lock (_lock)
        {
            if (_refusals.TryGetValue(request.Title, out var refusal))
                throw refusal;
            if (_refusedMarkers.FirstOrDefault(m => request.Text.Contains(m, StringComparison.Ordinal) || request.Summary.Contains(m, StringComparison.Ordinal)) is { } marker)
                throw SpamDetected(request.Title, marker);
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
            var id = Save(request.Title, request.Text, BotUser, request.Summary);
            return new EditResult(request.Title, true, id, Stamp(id)) { ParentRevisionId = parent, PageId = _pageIds[request.Title] };
        }
    }

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

    /// <summary>The account this wiki's <see cref="EditAsync"/> saves as: its revisions are WikiSync's own.</summary>
    public const string BotUser = "WikiSyncBot";

    /// <summary>The requests for other accounts' edits (prop=revisions with users), with the pages asked.</summary>
    public List<IReadOnlyCollection<string>> OtherEditRequests { get; } = [];

    public Task<IReadOnlyDictionary<string, OtherEdit>> ReadOtherEditsAsync(IReadOnlyDictionary<string, long> after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(after);
        var result = new Dictionary<string, OtherEdit>(StringComparer.Ordinal);
        lock (_lock)
        {
            OtherEditRequests.Add([.. after.Keys]);
            foreach (var (title, since) in after)
            {
                if (_pages.TryGetValue(title, out var revisions)
                    && revisions.LastOrDefault(r => r.Id > since && r.User != BotUser) is { } other)
                    result[title] = new OtherEdit(other.Id, other.User, Stamp(other.Id));
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, OtherEdit>>(result);
    }

    public async Task PrepareSessionAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _sessionsPrepared);
        await Task.Yield();
        if (SessionFailure is { } failure)
            throw failure;
    }

    /// <summary>Every edit ever saved is in this wiki's recent changes, whatever the moment asked from: a wider window only costs rows.</summary>
    public async Task<RecentEdits?> ReadRecentEditsAsync(DateTimeOffset since, IReadOnlyCollection<string> alsoRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alsoRead);
        RecentEdits? recent;
        lock (_lock)
        {
            RecentChangesAsked.Add(since);
            if (!RecentChanges)
                return null;
            recent = new RecentEdits(_superseded.ToHashSet(), _touched.ToHashSet());
            // Read in the same request, as the real wiki answers them (not counted as a batch of page reads).
            AlsoReadWithRecentChanges.AddRange(alsoRead);
        }
        return recent with { Pages = alsoRead.Count == 0 ? recent.Pages : await PeekAsync(alsoRead) };
    }

    /// <summary>The titles read along with recent changes.</summary>
    public List<string> AlsoReadWithRecentChanges { get; } = [];

    private static string Stamp(long id) => string.Create(CultureInfo.InvariantCulture, $"2026-11-25T00:{id / 60 % 60:00}:{id % 60:00}Z");
}
