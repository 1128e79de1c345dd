using Dapper;

namespace WikiSync.Storage;

/// <summary>One row of <c>verified_pages</c>: what a sync last found or saved on a page for one set of sections.</summary>
public sealed record VerifiedPageRow(string Page, string SectionSet, long Revision, string SectionsHash)
{
    /// <summary>When it was verified: no change to the page older than this is unknown to the row (null when written: now).</summary>
    public DateTimeOffset? VerifiedUtc { get; init; }

    /// <summary>The wiki's id of the page (0 when not known).</summary>
    public long PageId { get; init; }

    /// <summary>A hash of what the sections were rendered from; empty when not known.</summary>
    public string InputsHash { get; init; } = "";
}

/// <summary>
/// Table <c>verified_pages</c>: per page and set of sections, the revision a sync saved (or read and found
/// current) and the hash of the sections it rendered for it. Writing the same row again replaces it.
/// </summary>
public sealed class VerifiedPagesStore(IStore store, TimeProvider time)
{
    public async Task<IReadOnlyList<VerifiedPageRow>> FindAsync(IReadOnlyCollection<string> pages, CancellationToken cancellationToken)
    {
        var found = await store.FindByPageAsync<Row>("SELECT page AS Page, section_set AS SectionSet, revision AS Revision, sections_hash AS SectionsHash, "
            + "verified_utc AS VerifiedUtc, page_id AS PageId, inputs_hash AS InputsHash FROM verified_pages", pages, cancellationToken);
        return [.. found.Select(r => new VerifiedPageRow(r.Page, r.SectionSet, r.Revision, r.SectionsHash) { VerifiedUtc = Dialect.FromDbNullable(r.VerifiedUtc), PageId = r.PageId, InputsHash = r.InputsHash })];
    }

    /// <summary>The oldest verification at or after <paramref name="notBefore"/> of any page, null when there is none.</summary>
    public async Task<DateTimeOffset?> OldestAsync(DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var oldest = await connection.ExecuteScalarAsync<object?>(new CommandDefinition(
            "SELECT MIN(verified_utc) FROM verified_pages WHERE verified_utc >= @NotBefore AND revision > 0",
            new { NotBefore = store.Dialect.ToDb(notBefore) }, cancellationToken: cancellationToken));
        return Dialect.FromDbNullable(oldest);
    }

    public async Task RecordAsync(IReadOnlyCollection<VerifiedPageRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return;
        var now = time.GetUtcNow();
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var row in rows)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO verified_pages (page, section_set, revision, sections_hash, verified_utc, page_id, inputs_hash)
                VALUES (@Page, @SectionSet, @Revision, @SectionsHash, @Now, @PageId, @InputsHash)
                ON CONFLICT (page, section_set) DO UPDATE SET
                    revision = excluded.revision, sections_hash = excluded.sections_hash, verified_utc = excluded.verified_utc,
                    page_id = excluded.page_id, inputs_hash = excluded.inputs_hash
                """,
                new { row.Page, row.SectionSet, row.Revision, row.SectionsHash, Now = store.Dialect.ToDb(row.VerifiedUtc ?? now), row.PageId, row.InputsHash }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private sealed class Row
    {
        public string Page { get; init; } = "";
        public string SectionSet { get; init; } = "";
        public long Revision { get; init; }
        public string SectionsHash { get; init; } = "";
        public object? VerifiedUtc { get; init; }
        public long PageId { get; init; }
        public string InputsHash { get; init; } = "";
    }
}
