using WikiSync.Model;
using WikiSync.Sources;

namespace WikiSync.Tests.Support;

/// <summary>A source answering whatever the test sets, counting how often it is asked.</summary>
public sealed class FakeInventorySource(string name, Inventory inventory) : IInventorySource
{
    public FakeInventorySource(Inventory inventory) : this("fake", inventory) { }

    public Inventory Inventory { get; set; } = inventory;

    /// <summary>Non-null: CollectAsync throws it.</summary>
    public Exception? Failure { get; set; }

    public int Collections { get; private set; }

    /// <summary>The projects each collection was asked for (empty: all), in order.</summary>
    public List<IReadOnlyCollection<string>> Scopes { get; } = [];

    public string Describe() => name;

    public Task<Inventory> CollectAsync(CancellationToken cancellationToken) => CollectAsync([], cancellationToken);

    public Task<Inventory> CollectAsync(IReadOnlyCollection<string> projects, CancellationToken cancellationToken)
    {
        Collections++;
        Scopes.Add(projects);
        return Failure is null ? Task.FromResult(Inventory) : Task.FromException<Inventory>(Failure);
    }
}
