using WikiSync.Model;

namespace WikiSync.Sources;

/// <summary>
/// Where projects, instances and members come from. A source that cannot answer throws
/// <see cref="SourceException"/>; it never returns an empty inventory in place of a failure,
/// because an empty list rendered over a full one is data loss for the reader.
/// </summary>
public interface IInventorySource
{
    /// <summary>A short name for logs and reports, e.g. "static:/etc/wikisync/inventory.yaml".</summary>
    string Describe();

    Task<Inventory> CollectAsync(CancellationToken cancellationToken);
}
