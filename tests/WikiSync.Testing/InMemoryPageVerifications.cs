using System.Collections.Concurrent;
using WikiSync.Sync;

namespace WikiSync.Testing;

/// <summary>Page verifications for one test (production keeps them in the store).</summary>
public sealed class InMemoryPageVerifications : IPageVerifications
{
    private readonly ConcurrentDictionary<(string Page, string SectionSet), PageVerification> _rows = new();

    public IReadOnlyCollection<PageVerification> All => [.. _rows.Values];

    public Task<IReadOnlyList<PageVerification>> FindAsync(IReadOnlyCollection<string> pages, CancellationToken cancellationToken)
    {
        var wanted = pages.ToHashSet(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<PageVerification>>([.. _rows.Values.Where(r => wanted.Contains(r.Page))]);
    }

    public Task<DateTimeOffset?> OldestAsync(DateTimeOffset notBefore, CancellationToken cancellationToken) =>
        Task.FromResult(_rows.Values.Where(r => r.Revision > 0 && r.AsOf >= notBefore).Min(r => r.AsOf));

    public Task RecordAsync(IReadOnlyCollection<PageVerification> verifications, CancellationToken cancellationToken)
    {
        foreach (var row in verifications)
            _rows[(row.Page, row.SectionSet)] = row;
        return Task.CompletedTask;
    }
}
