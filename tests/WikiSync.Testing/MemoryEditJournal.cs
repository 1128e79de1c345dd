using WikiSync.Sync;

namespace WikiSync.Testing;

/// <summary>An edit journal in memory, newest first, keeping the last 200 of each kind (production keeps it in the store).</summary>
public sealed class MemoryEditJournal : IEditJournal
{
    private readonly LinkedList<RecentEdit> _edits = new();
    private readonly LinkedList<HumanEditEvent> _human = new();
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

    public Task RecordHumanEditAsync(HumanEditEvent edit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _human.AddFirst(edit);
            while (_human.Count > 200)
                _human.RemoveLast();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<HumanEditEvent>> HumanEditsAsync(int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<HumanEditEvent>>([.. _human.Take(limit)]);
    }
}
