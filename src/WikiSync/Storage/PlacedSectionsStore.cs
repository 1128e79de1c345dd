using Dapper;

namespace WikiSync.Storage;

/// <summary>
/// Which sections WikiSync placed on which page (table <c>placed_sections</c>), so a section an editor
/// removed is reported rather than put back. Recording twice is harmless on either engine.
/// </summary>
public sealed class PlacedSectionsStore(IStore store, TimeProvider time)
{
    public async Task<IReadOnlySet<string>> PlacedAsync(string page, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT section FROM placed_sections WHERE page = @Page", new { Page = page }, cancellationToken: cancellationToken));
        return rows.ToHashSet(StringComparer.Ordinal);
    }

    public async Task RecordAsync(string page, IReadOnlyCollection<string> sections, CancellationToken cancellationToken)
    {
        if (sections.Count == 0)
        {
            return;
        }

        var placed = store.Dialect.ToDb(time.GetUtcNow());
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var section in sections)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO placed_sections (page, section, placed_utc) VALUES (@Page, @Section, @Placed) ON CONFLICT (page, section) DO NOTHING",
                new { Page = page, Section = section, Placed = placed }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>One edit WikiSync made, for the status page.</summary>
public sealed record EditLogEntry(long Id, string Page, long? Revision, string Summary, IReadOnlyList<string> Sections, string? Job, DateTimeOffset Utc);

/// <summary>An edit by someone else inside a generated section, and what WikiSync did (<c>replaced</c>, <c>held</c>).</summary>
public sealed record HumanEditLogEntry(string Page, string Section, string User, long Revision, string Action, string Job)
{
    /// <summary>When it was noted (ignored when recording: now).</summary>
    public DateTimeOffset Utc { get; init; }
}

/// <summary>The recent edits (table <c>edit_log</c>), newest first, trimmed so it never grows without bound.</summary>
public sealed class EditLogStore(IStore store, TimeProvider time)
{
    public async Task RecordAsync(string page, long? revision, string summary, IReadOnlyCollection<string> sections, string? job, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO edit_log (page, revision, summary, sections, job, utc) VALUES (@Page, @Revision, @Summary, @Sections, @Job, @Utc)",
            new { Page = page, Revision = revision, Summary = summary, Sections = string.Join(',', sections), Job = job, Utc = store.Dialect.ToDb(time.GetUtcNow()) },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<EditLogEntry>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT id AS Id, page AS Page, revision AS Revision, summary AS Summary, sections AS Sections, job AS Job, utc AS Utc FROM edit_log ORDER BY id DESC LIMIT @Limit",
            new { Limit = limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new EditLogEntry(r.Id, r.Page, r.Revision, r.Summary,
            r.Sections.Split(',', StringSplitOptions.RemoveEmptyEntries), r.Job, Dialect.FromDb(r.Utc)))];
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> rows.</summary>
    public async Task<int> TrimAsync(int keep, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM edit_log WHERE id <= (SELECT MAX(id) FROM edit_log) - @Keep", new { Keep = keep }, cancellationToken: cancellationToken));
    }

    /// <summary>Notes an edit by someone else inside a generated section (table <c>human_edits</c>), and what WikiSync did about it.</summary>
    public async Task RecordHumanEditAsync(HumanEditLogEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO human_edits (page, section, user_name, revision, action, job, utc) VALUES (@Page, @Section, @User, @Revision, @Action, @Job, @Utc)",
            new { entry.Page, entry.Section, entry.User, entry.Revision, entry.Action, entry.Job, Utc = store.Dialect.ToDb(time.GetUtcNow()) },
            cancellationToken: cancellationToken));
    }

    /// <summary>The newest human edits noted, newest first (<see cref="HumanEditLogEntry.Utc"/> as stored).</summary>
    public async Task<IReadOnlyList<HumanEditLogEntry>> RecentHumanEditsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<HumanRow>(new CommandDefinition(
            "SELECT page AS Page, section AS Section, user_name AS UserName, revision AS Revision, action AS Action, job AS Job, utc AS Utc FROM human_edits ORDER BY id DESC LIMIT @Limit",
            new { Limit = limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new HumanEditLogEntry(r.Page, r.Section, r.UserName, r.Revision, r.Action, r.Job) { Utc = Dialect.FromDb(r.Utc) })];
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> human edits.</summary>
    public async Task<int> TrimHumanEditsAsync(int keep, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM human_edits WHERE id <= (SELECT MAX(id) FROM human_edits) - @Keep", new { Keep = keep }, cancellationToken: cancellationToken));
    }

    private sealed class HumanRow
    {
        public string Page { get; init; } = "";
        public string Section { get; init; } = "";
        public string UserName { get; init; } = "";
        public long Revision { get; init; }
        public string Action { get; init; } = "";
        public string Job { get; init; } = "";
        public object Utc { get; init; } = "";
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string Page { get; init; } = "";
        public long? Revision { get; init; }
        public string Summary { get; init; } = "";
        public string Sections { get; init; } = "";
        public string? Job { get; init; }
        public object Utc { get; init; } = "";
    }
}
