using WikiSync.Model;
using WikiSync.Sources;

namespace WikiSync.Testing;

/// <summary>A fixed list of projects, in place of the catalog that asks the inventory.</summary>
public sealed class FixedProjectCatalog(Inventory inventory) : IProjectCatalog
{
    public Task<Project?> FindAsync(string name, CancellationToken cancellationToken) => Task.FromResult(inventory.Find(name));

    public Task<IReadOnlyList<string>> NamesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(InventoryProjectCatalog.Names(inventory));

    public Task<Project?> FindByIdAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(InventoryProjectCatalog.FindById(inventory, id));
}
