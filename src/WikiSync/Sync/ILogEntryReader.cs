using WikiSync.Model;

namespace WikiSync.Sync;

/// <summary>The read side of the SAL entry store, which is all that rendering a log page needs.</summary>
public interface ILogEntryReader
{
    /// <summary>Entries of one project received at or after <paramref name="since"/> (all when null), newest first.</summary>
    Task<IReadOnlyList<LogEntry>> ListAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>
    /// All entries of each of <paramref name="projects"/>, each list newest first: what <see cref="ListAsync"/>
    /// gives with no <c>since</c>, for many projects at once (a pass over 1,000 projects asks once, not
    /// 1,000 times). Keyed by the name exactly as asked; a project without entries has an empty list.
    /// This default asks project by project.
    /// </summary>
    async Task<IReadOnlyDictionary<string, IReadOnlyList<LogEntry>>> ListManyAsync(IReadOnlyCollection<string> projects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var lists = new Dictionary<string, IReadOnlyList<LogEntry>>(StringComparer.Ordinal);
        foreach (var project in projects)
        {
            if (!lists.ContainsKey(project))
                lists[project] = await ListAsync(project, null, cancellationToken);
        }
        return lists;
    }

    /// <summary>Projects that have entries not yet recorded as published.</summary>
    Task<IReadOnlyList<string>> ProjectsWithUnpublishedAsync(CancellationToken cancellationToken);
}
