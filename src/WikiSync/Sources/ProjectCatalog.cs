using WikiSync.Model;

namespace WikiSync.Sources;

/// <summary>
/// Answers "is this a project, and who is in it" for <c>!log</c>, "which projects are there" for the status
/// page, and "which project has this cloud id" for a notification, without a source round trip each time.
/// </summary>
public interface IProjectCatalog
{
    /// <summary>The project (case-insensitive name), or null when the inventory has none by that name.</summary>
    Task<Project?> FindAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every project's name, in case-insensitive order.</summary>
    Task<IReadOnlyList<string>> NamesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The project with the cloud's id <paramref name="id"/> (Keystone's; a source without ids may name a
    /// project by it), or null; an unknown id (a project created a moment ago) collects again, at most once per
    /// <see cref="InventoryProjectCatalog.MissRetry"/>.
    /// </summary>
    Task<Project?> FindByIdAsync(string id, CancellationToken cancellationToken);
}

/// <summary>
/// The inventory source, collected at most once per <c>ttl</c> (one minute) for the whole process: the
/// status page is reloaded often, notifications come in bursts, and a collection may cost an OpenStack or LDAP
/// round trip. When the source fails the last inventory it gave is used, so a directory outage does not stop
/// people logging.
/// </summary>
public sealed class InventoryProjectCatalog(IInventorySource source, TimeProvider time, TimeSpan? ttl = null) : IProjectCatalog
{
    /// <summary>How soon an id the inventory does not know makes it collect again.</summary>
    public static readonly TimeSpan MissRetry = TimeSpan.FromSeconds(10);

    private readonly TimeSpan _ttl = ttl ?? TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Inventory? _inventory;
    private DateTimeOffset _collected;

    public async Task<Project?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).Find(name);

    public async Task<IReadOnlyList<string>> NamesAsync(CancellationToken cancellationToken) =>
        Names(await CurrentAsync(cancellationToken));

    public async Task<Project?> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        var found = FindById(await CurrentAsync(cancellationToken), id);
        if (found is null && time.GetUtcNow() - _collected >= MissRetry)
            found = FindById(await RefreshAsync(MissRetry, cancellationToken), id);
        return found;
    }

    internal static IReadOnlyList<string> Names(Inventory inventory) =>
        [.. inventory.Projects.Select(p => p.Name).Order(StringComparer.OrdinalIgnoreCase)];

    internal static Project? FindById(Inventory inventory, string id) =>
        inventory.Projects.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.Ordinal)) ?? inventory.Find(id);

    private async Task<Inventory> CurrentAsync(CancellationToken cancellationToken)
    {
        var inventory = _inventory;
        if (inventory is null || time.GetUtcNow() - _collected >= _ttl)
        {
            inventory = await RefreshAsync(_ttl, cancellationToken);
        }

        return inventory;
    }

    /// <summary>The inventory, collected again unless the last collection is younger than <paramref name="maxAge"/>.</summary>
    private async Task<Inventory> RefreshAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_inventory is { } fresh && time.GetUtcNow() - _collected < maxAge)
            {
                return fresh;
            }

            try
            {
                _inventory = await source.CollectAsync(cancellationToken);
                _collected = time.GetUtcNow();
            }
            catch (SourceException) when (_inventory is not null)
            {
                // Keep answering from what we knew; try the source again after a while, not on every line.
                _collected = time.GetUtcNow();
            }

            return _inventory;
        }
        finally
        {
            _gate.Release();
        }
    }
}
