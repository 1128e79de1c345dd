using WikiSync.Model;

namespace WikiSync.AdminLog;

/// <summary>The read side of the SAL entry store, which is all that rendering a log page needs.</summary>
public interface ILogEntryReader
{
    /// <summary>Entries of one project received at or after <paramref name="since"/> (all when null), newest first.</summary>
    Task<IReadOnlyList<LogEntry>> ListAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>Projects that have entries not yet recorded as published.</summary>
    Task<IReadOnlyList<string>> ProjectsWithUnpublishedAsync(CancellationToken cancellationToken);
}
