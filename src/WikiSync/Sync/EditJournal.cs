using Microsoft.Extensions.Logging;
using WikiSync.Storage;

namespace WikiSync.Sync;

/// <summary>One edit saved (or a page held as an editor wrote it), for the status page's list of recent edits.</summary>
public sealed record RecentEdit(DateTimeOffset At, string Job, string Title, long RevisionId, PageAction Action, IReadOnlyList<string> Sections);

/// <summary>An edit by someone else inside a generated section, and what WikiSync did about it, for the status page.</summary>
public sealed record HumanEditEvent(DateTimeOffset At, string Job, string Title, string Section, string User, long Revision, HumanEditAction Action);

/// <summary>The recent edits and human edits the status page lists: every node's, when they share a store.</summary>
public interface IEditJournal
{
    Task RecordAsync(RecentEdit edit, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<RecentEdit>> RecentAsync(int limit, CancellationToken cancellationToken);

    Task RecordHumanEditAsync(HumanEditEvent edit, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<HumanEditEvent>> HumanEditsAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>The store's <c>edit_log</c> and <c>human_edits</c> tables, each kept to its newest rows.</summary>
public sealed class StoreEditJournal(EditLogStore store) : IEditJournal
{
    private const int Keep = 500;
    private int _sinceTrim;
    private int _humanSinceTrim;

    public async Task RecordAsync(RecentEdit edit, CancellationToken cancellationToken)
    {
        await store.RecordAsync(edit.Title, edit.RevisionId, edit.Action.ToString().ToLowerInvariant(), edit.Sections, edit.Job, cancellationToken);
        if (Interlocked.Increment(ref _sinceTrim) % 100 == 0)
            await store.TrimAsync(Keep, cancellationToken);
    }

    public async Task<IReadOnlyList<RecentEdit>> RecentAsync(int limit, CancellationToken cancellationToken) =>
        [.. (await store.RecentAsync(limit, cancellationToken)).Select(e => new RecentEdit(
            e.Utc, e.Job ?? "", e.Page, e.Revision ?? 0, ActionOf(e.Summary), e.Sections))];

    public async Task RecordHumanEditAsync(HumanEditEvent edit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        await store.RecordHumanEditAsync(new HumanEditLogEntry(edit.Title, edit.Section, edit.User, edit.Revision, edit.Action.ToString().ToLowerInvariant(), edit.Job), cancellationToken);
        if (Interlocked.Increment(ref _humanSinceTrim) % 100 == 0)
            await store.TrimHumanEditsAsync(Keep, cancellationToken);
    }

    public async Task<IReadOnlyList<HumanEditEvent>> HumanEditsAsync(int limit, CancellationToken cancellationToken) =>
        [.. (await store.RecentHumanEditsAsync(limit, cancellationToken)).Select(e => new HumanEditEvent(
            e.Utc, e.Job, e.Page, e.Section, e.User, e.Revision,
            string.Equals(e.Action, "held", StringComparison.Ordinal) ? HumanEditAction.Held : HumanEditAction.Replaced))];

    // The summary column holds the action's name (older rows: "created" or "updated").
    private static PageAction ActionOf(string summary) => summary switch
    {
        "created" => PageAction.Created,
        "held" => PageAction.Held,
        _ => PageAction.Updated,
    };
}

/// <summary>Notes each saved or newly held page of a report in the journal; a journal that fails costs a log line, not the run.</summary>
internal static class EditJournaling
{
    public static async Task RecordAsync(IEditJournal journal, SyncRequest request, SyncReport report, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        var label = request.Jobs.Count > 0 ? string.Join(",", request.Jobs) : "refresh " + string.Join(",", request.Projects);
        foreach (var page in report.Pages.Where(p => p.Action is PageAction.Created or PageAction.Updated || p.HumanEdits.Any(e => e.New)))
        {
            try
            {
                var at = time.GetUtcNow();
                // A page still held (nothing new) is not noted again every pass.
                if (page.Action is PageAction.Created or PageAction.Updated or PageAction.Held)
                    await journal.RecordAsync(new RecentEdit(at, label, page.Title, page.RevisionId ?? 0, page.Action, page.Sections), cancellationToken);
                foreach (var edit in page.HumanEdits.Where(e => e.New))
                    await journal.RecordHumanEditAsync(new HumanEditEvent(at, edit.Job, page.Title, edit.Section, edit.User, edit.Revision, edit.Action), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Could not note the edit of {Title} for the status page: {Reason}", page.Title, e.Message);
            }
        }
    }
}
