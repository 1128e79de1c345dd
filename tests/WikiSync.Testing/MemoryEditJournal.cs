using WikiSync.Sync;

namespace WikiSync.Testing;

/// <summary>An edit journal in memory, newest first, keeping the last 200 of each kind (production keeps it in the store).</summary>
public sealed class MemoryEditJournal : IEditJournal
{
    private const int Keep = 200;

    private readonly LinkedList<RecentEdit> _edits = new();
    private readonly LinkedList<HumanEditEvent> _human = new();
    private readonly Lock _lock = new();

    public Task RecordAsync(RecentEdit edit, CancellationToken cancellationToken) => Add(_edits, edit);

    public Task<IReadOnlyList<RecentEdit>> RecentAsync(int limit, CancellationToken cancellationToken) => Newest(_edits, limit);

    public Task RecordHumanEditAsync(HumanEditEvent edit, CancellationToken cancellationToken) => Add(_human, edit);

    public Task<IReadOnlyList<HumanEditEvent>> HumanEditsAsync(int limit, CancellationToken cancellationToken) => Newest(_human, limit);

    private Task Add<T>(LinkedList<T> list, T item)
    {
        lock (_lock)
        {
            list.AddFirst(item);
            while (list.Count > Keep)
                list.RemoveLast();
        }

        return Task.CompletedTask;
    }

    private Task<IReadOnlyList<T>> Newest<T>(LinkedList<T> list, int limit)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<T>>([.. list.Take(limit)]);
    }
}
