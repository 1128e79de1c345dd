using WikiSync.Sources;

namespace WikiSync.Hosting;

/// <summary>The project names for the status page, from the project catalog (which caches the inventory).</summary>
public sealed class InventoryProjectNames(IProjectCatalog catalog) : IProjectNames
{
    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => catalog.NamesAsync(cancellationToken);
}
