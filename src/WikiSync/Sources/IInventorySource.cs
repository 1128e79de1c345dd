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

    /// <summary>
    /// The inventory for a pass that renders only the pages of <paramref name="projects"/> (names): those
    /// projects as the source has them now, every other project at least as it was at the last collection. A
    /// source that cannot read part of itself cheaper than the whole collects everything; the cloud source lists
    /// only these projects' servers (a notified refresh of one project on a cloud of thousands of servers).
    /// </summary>
    Task<Inventory> CollectAsync(IReadOnlyCollection<string> projects, CancellationToken cancellationToken) => CollectAsync(cancellationToken);
}
