using Microsoft.Extensions.Logging;
using WikiSync.Storage;

namespace WikiSync.Sync;

/// <summary>One edit saved, for the status page's list of recent edits.</summary>
public sealed record RecentEdit(DateTimeOffset At, string Job, string Title, long RevisionId, PageAction Action, IReadOnlyList<string> Sections);

/// <summary>The recent edits the status page lists: every node's, when they share a store.</summary>
public interface IEditJournal
{
    Task RecordAsync(RecentEdit edit, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<RecentEdit>> RecentAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>Which journal a process keeps: the store's (shared by every node) when it has one, else its own memory.</summary>
public static class EditJournals
{
    public static IEditJournal For(EditLogStore? store) => store is null ? new MemoryEditJournal() : new StoreEditJournal(store);
}

/// <summary>This process only, in memory (tests, and a host without a store).</summary>
public sealed class MemoryEditJournal : IEditJournal
{
    private readonly LinkedList<RecentEdit> _edits = new();
    private readonly Lock _lock = new();

    public Task RecordAsync(RecentEdit edit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _edits.AddFirst(edit);
            while (_edits.Count > 200)
                _edits.RemoveLast();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RecentEdit>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<RecentEdit>>([.. _edits.Take(limit)]);
    }
}

/// <summary>The store's <c>edit_log</c> table, kept to its newest rows.</summary>
public sealed class StoreEditJournal(EditLogStore store) : IEditJournal
{
    private const int Keep = 500;
    private int _sinceTrim;

    public async Task RecordAsync(RecentEdit edit, CancellationToken cancellationToken)
    {
        await store.RecordAsync(edit.Title, edit.RevisionId, edit.Action.ToString().ToLowerInvariant(), edit.Sections, edit.Job, cancellationToken);
        if (Interlocked.Increment(ref _sinceTrim) % 100 == 0)
            await store.TrimAsync(Keep, cancellationToken);
    }

    public async Task<IReadOnlyList<RecentEdit>> RecentAsync(int limit, CancellationToken cancellationToken) =>
        [.. (await store.RecentAsync(limit, cancellationToken)).Select(e => new RecentEdit(
            e.Utc, e.Job ?? "", e.Page, e.Revision ?? 0,
            string.Equals(e.Summary, "created", StringComparison.Ordinal) ? PageAction.Created : PageAction.Updated, e.Sections))];
}

/// <summary>Notes each saved page of a report in the journal; a journal that fails costs a log line, not the run.</summary>
internal static class EditJournaling
{
    public static async Task RecordAsync(IEditJournal journal, SyncRequest request, SyncReport report, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        var label = request.Jobs.Count > 0 ? string.Join(",", request.Jobs) : "refresh " + string.Join(",", request.Projects);
        foreach (var page in report.Pages.Where(p => p.Action is PageAction.Created or PageAction.Updated))
        {
            try
            {
                await journal.RecordAsync(new RecentEdit(time.GetUtcNow(), label, page.Title, page.RevisionId ?? 0, page.Action, page.Sections), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Could not note the edit of {Title} for the status page: {Reason}", page.Title, e.Message);
            }
        }
    }
}
