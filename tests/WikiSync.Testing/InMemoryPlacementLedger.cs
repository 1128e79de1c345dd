using System.Collections.Concurrent;
using WikiSync.Sync;

namespace WikiSync.Testing;

/// <summary>A placement ledger for one test (production keeps it in the store).</summary>
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
