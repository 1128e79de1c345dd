using WikiSync.Sources;

namespace WikiSync.Hosting;

/// <summary>
/// The project names from the configured inventory, collected at most once a minute: the status page is
/// reloaded often, and a collection may cost an OpenStack or LDAP round trip.
/// </summary>
public sealed class InventoryProjectNames(IInventorySource source, TimeProvider time) : IProjectNames
{
    private static readonly TimeSpan Fresh = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private IReadOnlyList<string> _names = [];
    private DateTimeOffset _collected = DateTimeOffset.MinValue;

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - _collected > Fresh)
            {
                var inventory = await source.CollectAsync(cancellationToken);
                _names = inventory.Projects.Select(p => p.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();
                _collected = time.GetUtcNow();
            }

            return _names;
        }
        finally
        {
            _lock.Release();
        }
    }
}
