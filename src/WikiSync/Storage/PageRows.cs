namespace WikiSync.Storage;

/// <summary>The rows of a table keyed by page, for many pages: asked in chunks on one connection.</summary>
internal static class PageRows
{
    // Well under SQLite's bound-parameter limit, and a modest array for PostgreSQL.
    private const int Chunk = 500;

    /// <summary>The rows of <paramref name="select"/> (<c>SELECT … FROM table</c>) whose <c>page</c> is one of <paramref name="pages"/>.</summary>
    public static async Task<List<TRow>> FindByPageAsync<TRow>(this IStore store, string select, IReadOnlyCollection<string> pages, CancellationToken cancellationToken)
    {
        var rows = new List<TRow>();
        if (pages.Count == 0)
            return rows;
        await using var connection = await store.OpenAsync(cancellationToken);
        var sql = select + " WHERE " + store.Dialect.InList("page", "@Pages");
        foreach (var chunk in pages.Distinct(StringComparer.Ordinal).Chunk(Chunk))
            rows.AddRange(await Dapper.SqlMapper.QueryAsync<TRow>(connection, new Dapper.CommandDefinition(sql, new { Pages = chunk }, cancellationToken: cancellationToken)));
        return rows;
    }
}
