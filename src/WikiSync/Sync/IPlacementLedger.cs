using System.Collections.Concurrent;

namespace WikiSync.Sync;

/// <summary>
/// Which sections WikiSync has placed on which page (<c>placed_sections</c> in the store), so that a
/// section an editor removed is reported instead of put back.
/// </summary>
public interface IPlacementLedger
{
    Task<IReadOnlySet<string>> PlacedAsync(string page, CancellationToken cancellationToken);

    Task RecordAsync(string page, IReadOnlyCollection<string> sections, CancellationToken cancellationToken);
}

/// <summary>A ledger for one process (tests, dry runs, and until the store is wired).</summary>
public sealed class InMemoryPlacementLedger : IPlacementLedger
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _pages = new(StringComparer.Ordinal);

    public Task<IReadOnlySet<string>> PlacedAsync(string page, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<string>>(_pages.TryGetValue(page, out var sections)
            ? sections.Keys.ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal));

    public Task RecordAsync(string page, IReadOnlyCollection<string> sections, CancellationToken cancellationToken)
    {
        var set = _pages.GetOrAdd(page, _ => new ConcurrentDictionary<string, bool>(StringComparer.Ordinal));
        foreach (var section in sections)
            set[section] = true;
        return Task.CompletedTask;
    }
}
