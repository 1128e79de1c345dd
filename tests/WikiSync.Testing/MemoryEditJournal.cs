using WikiSync.Sync;

namespace WikiSync.Testing;

/// <summary>An edit journal in memory, newest first, keeping the last 200 (production keeps it in the store).</summary>
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
