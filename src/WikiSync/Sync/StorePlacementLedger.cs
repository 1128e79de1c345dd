using WikiSync.Storage;

namespace WikiSync.Sync;

/// <summary>The ledger kept in the store's <c>placed_sections</c> table, shared by every node and run.</summary>
public sealed class StorePlacementLedger(PlacedSectionsStore store) : IPlacementLedger
{
    public Task<IReadOnlySet<string>> PlacedAsync(string page, CancellationToken cancellationToken) =>
        store.PlacedAsync(page, cancellationToken);

    public Task RecordAsync(string page, IReadOnlyCollection<string> sections, CancellationToken cancellationToken) =>
        store.RecordAsync(page, sections, cancellationToken);
}
