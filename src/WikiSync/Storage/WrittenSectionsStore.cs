using Dapper;

namespace WikiSync.Storage;

/// <summary>
/// One row of <c>written_sections</c>: the hash of the text WikiSync last saved or verified between one
/// section's markers on a page, in which revision, and, while the section is kept as a person wrote it,
/// the render it was kept against and whose edit it is.
/// </summary>
public sealed record WrittenSectionRow(string Page, string Section, string TextHash, long Revision)
{
    public string? HeldRender { get; init; }

    public string? HeldUser { get; init; }

    public long? HeldRevision { get; init; }
}

/// <summary>Table <c>written_sections</c>, per page and section; writing a row again replaces it.</summary>
public sealed class WrittenSectionsStore(IStore store, TimeProvider time)
{
    public async Task<IReadOnlyList<WrittenSectionRow>> FindAsync(IReadOnlyCollection<string> pages, CancellationToken cancellationToken)
    {
        var found = await store.FindByPageAsync<Row>("SELECT page AS Page, section AS Section, text_hash AS TextHash, revision AS Revision, held_render AS HeldRender, "
            + "held_user AS HeldUser, held_revision AS HeldRevision FROM written_sections", pages, cancellationToken);
        return [.. found.Select(r => new WrittenSectionRow(r.Page, r.Section, r.TextHash, r.Revision)
        {
            HeldRender = r.HeldRender,
            HeldUser = r.HeldUser,
            HeldRevision = r.HeldRevision,
        })];
    }

    public async Task RecordAsync(IReadOnlyCollection<WrittenSectionRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return;
        var now = store.Dialect.ToDb(time.GetUtcNow());
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var row in rows)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO written_sections (page, section, text_hash, revision, held_render, held_user, held_revision, written_utc)
                VALUES (@Page, @Section, @TextHash, @Revision, @HeldRender, @HeldUser, @HeldRevision, @Now)
                ON CONFLICT (page, section) DO UPDATE SET
                    text_hash = excluded.text_hash, revision = excluded.revision, held_render = excluded.held_render,
                    held_user = excluded.held_user, held_revision = excluded.held_revision, written_utc = excluded.written_utc
                """,
                new { row.Page, row.Section, row.TextHash, row.Revision, row.HeldRender, row.HeldUser, row.HeldRevision, Now = now },
                transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private sealed class Row
    {
        public string Page { get; init; } = "";
        public string Section { get; init; } = "";
        public string TextHash { get; init; } = "";
        public long Revision { get; init; }
        public string? HeldRender { get; init; }
        public string? HeldUser { get; init; }
        public long? HeldRevision { get; init; }
    }
}
