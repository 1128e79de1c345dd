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
