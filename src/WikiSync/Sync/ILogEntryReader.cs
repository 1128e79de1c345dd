using WikiSync.Model;

namespace WikiSync.Sync;

/// <summary>
/// The read side of the SAL entry store, which is all that rendering a log page needs. Every read is by
/// window (the last days or months, one month, the latest entry), so a pass costs the same after years
/// of history as in the first week. The defaults work on <see cref="ListAsync"/> alone (for small
/// stand-ins); the store answers each with a query of its own.
/// </summary>
public interface ILogEntryReader
{
    /// <summary>Entries of one project received at or after <paramref name="since"/> (all when null), newest first.</summary>
    Task<IReadOnlyList<LogEntry>> ListAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>Entries of one project received in [<paramref name="from"/>, <paramref name="before"/>), newest first (one archive month).</summary>
    async Task<IReadOnlyList<LogEntry>> ListBetweenAsync(string project, DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken) =>
        [.. (await ListAsync(project, from, cancellationToken)).Where(e => e.ReceivedUtc < before)];

    /// <summary>The UTC months (<c>yyyy-MM</c>, newest first) in which the project has entries received before <paramref name="before"/>.</summary>
    async Task<IReadOnlyList<string>> MonthsBeforeAsync(string project, DateTimeOffset before, CancellationToken cancellationToken) =>
        [.. (await ListAsync(project, null, cancellationToken)).Where(e => e.ReceivedUtc < before).Select(e => SalEntries.MonthOf(e.ReceivedUtc))
            .Distinct().OrderDescending(StringComparer.Ordinal)];

    /// <summary>
    /// What <see cref="MonthsBeforeAsync"/> gives for each of <paramref name="projects"/>, at once (a pass over
    /// 1,000 projects asks a few times, not 1,000). Keyed by the name exactly as asked.
    /// </summary>
    async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> MonthsBeforeManyAsync(IReadOnlyCollection<string> projects, DateTimeOffset before,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var months = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var project in projects)
        {
            if (!months.ContainsKey(project))
                months[project] = await MonthsBeforeAsync(project, before, cancellationToken);
        }
        return months;
    }

    /// <summary>The newest entry of each project that has one (a page about all projects shows it).</summary>
    async Task<IReadOnlyList<LogEntry>> LatestAsync(IReadOnlyCollection<string> projects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var latest = new List<LogEntry>();
        foreach (var project in projects.Distinct(StringComparer.Ordinal))
        {
            if ((await ListAsync(project, null, cancellationToken)) is [var first, ..])
                latest.Add(first);
        }
        return latest;
    }

    /// <summary>
    /// What <see cref="ListAsync"/> gives for each of <paramref name="projects"/> with the same
    /// <paramref name="since"/>, at once (a pass over 1,000 projects asks once, not 1,000 times). Keyed by
    /// the name exactly as asked; a project without entries has an empty list.
    /// </summary>
    async Task<IReadOnlyDictionary<string, IReadOnlyList<LogEntry>>> ListManyAsync(IReadOnlyCollection<string> projects, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var lists = new Dictionary<string, IReadOnlyList<LogEntry>>(StringComparer.Ordinal);
        foreach (var project in projects)
        {
            if (!lists.ContainsKey(project))
                lists[project] = await ListAsync(project, since, cancellationToken);
        }
        return lists;
    }

    /// <summary>Projects that have entries not yet recorded as published.</summary>
    Task<IReadOnlyList<string>> ProjectsWithUnpublishedAsync(CancellationToken cancellationToken);
}
