using WikiSync.Sources;

namespace WikiSync.Testing;

/// <summary>Source sizes kept for one test (production keeps them in the state folder).</summary>
public sealed class InMemorySourceHistory : ISourceHistory
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task<int?> LastCountAsync(string key, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult(_counts.TryGetValue(key, out var n) ? n : (int?)null);
    }

    public Task RecordAsync(string key, int count, CancellationToken cancellationToken)
    {
        lock (_lock)
            _counts[key] = count;
        return Task.CompletedTask;
    }
}
