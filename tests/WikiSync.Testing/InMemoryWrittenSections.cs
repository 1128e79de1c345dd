using System.Collections.Concurrent;
using WikiSync.Sync;

namespace WikiSync.Testing;

/// <summary>The written sections of one test (production keeps them in the store).</summary>
public sealed class InMemoryWrittenSections : IWrittenSections
{
    private readonly ConcurrentDictionary<(string Page, string Section), WrittenSection> _rows = new();

    /// <summary>How often the pass asked for rows.</summary>
    public int Finds { get; private set; }

    public WrittenSection? Find(string page, string section) => _rows.GetValueOrDefault((page, section));

    public Task<IReadOnlyList<WrittenSection>> FindAsync(IReadOnlyCollection<string> pages, CancellationToken cancellationToken)
    {
        Finds++;
        var wanted = pages.ToHashSet(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<WrittenSection>>([.. _rows.Values.Where(r => wanted.Contains(r.Page))]);
    }

    public Task RecordAsync(IReadOnlyCollection<WrittenSection> sections, CancellationToken cancellationToken)
    {
        foreach (var row in sections)
            _rows[(row.Page, row.Section)] = row;
        return Task.CompletedTask;
    }
}
