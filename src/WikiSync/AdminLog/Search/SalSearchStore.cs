using System.Text;
using Dapper;
using WikiSync.Model;
using WikiSync.Storage;

namespace WikiSync.AdminLog.Search;

/// <summary>
/// A search of the SAL: words of the message (all of them), project, author, and a time range
/// [<see cref="From"/>, <see cref="Until"/>); <see cref="Limit"/> entries from <see cref="Offset"/>, newest first.
/// </summary>
public sealed record SalQuery(
    string? Words = null,
    string? Project = null,
    string? Author = null,
    DateTimeOffset? From = null,
    DateTimeOffset? Until = null,
    int Limit = SalQuery.DefaultLimit,
    int Offset = 0)
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = 200;
}

/// <summary>One page of results; <see cref="More"/> when older entries match too.</summary>
public sealed record SalResults(IReadOnlyList<LogEntry> Entries, bool More);

/// <summary>
/// Reads the SAL for search and feeds (migration 4's indexes): SQLite's FTS5 table
/// <c>sal_entries_fts</c>, PostgreSQL's <c>to_tsvector('simple', message)</c>. Read-only.
/// </summary>
public sealed class SalSearchStore(IStore store)
{
    public async Task<SalResults> SearchAsync(SalQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, SalQuery.MaxLimit);
        var dialect = store.Dialect;
        // Refused and hidden entries are on no page, so no search or feed finds them either.
        var where = new List<string> { LogEntryStore.Shown };
        var parameters = new DynamicParameters();
        if (Match(query.Words) is { } match)
        {
            where.Add(dialect == SqlDialect.Sqlite
                ? "id IN (SELECT rowid FROM sal_entries_fts WHERE sal_entries_fts MATCH @Match)"
                : "to_tsvector('simple', message) @@ plainto_tsquery('simple', @Match)");
            parameters.Add("Match", dialect == SqlDialect.Sqlite ? match : query.Words!.Trim());
        }

        if (!string.IsNullOrWhiteSpace(query.Project))
        {
            where.Add("LOWER(project) = LOWER(@Project)");
            parameters.Add("Project", query.Project.Trim());
        }

        if (!string.IsNullOrWhiteSpace(query.Author))
        {
            where.Add("LOWER(author) = LOWER(@Author)");
            parameters.Add("Author", query.Author.Trim());
        }

        if (query.From is { } from)
        {
            where.Add("received_utc >= @From");
            parameters.Add("From", dialect.ToDb(from));
        }

        if (query.Until is { } until)
        {
            where.Add("received_utc < @Until");
            parameters.Add("Until", dialect.ToDb(until));
        }

        parameters.Add("Take", query.Limit + 1);
        parameters.Add("Skip", query.Offset);
        var sql = $"SELECT {LogEntryStore.Columns} FROM sal_entries"
            + " WHERE " + string.Join(" AND ", where)
            + " ORDER BY received_utc DESC, id DESC LIMIT @Take OFFSET @Skip";
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<LogEntryStore.Row>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
        return new SalResults([.. rows.Take(query.Limit).Select(r => r.ToEntry())], rows.Count > query.Limit);
    }

    public async Task<LogEntry?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LogEntryStore.Row>(new CommandDefinition(
            $"SELECT {LogEntryStore.Columns} FROM sal_entries WHERE id = @Id AND {LogEntryStore.Shown}", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToEntry();
    }

    /// <summary>
    /// An FTS5 query that means "all these words" whatever they hold: each word a quoted string, so an
    /// operator's <c>OR</c>, <c>-</c> or <c>"</c> is text, never syntax. Null when there are no words.
    /// </summary>
    internal static string? Match(string? words)
    {
        if (string.IsNullOrWhiteSpace(words))
            return null;
        var match = new StringBuilder();
        foreach (var word in words.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (match.Length > 0)
                match.Append(' ');
            match.Append('"').Append(word.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }

        return match.ToString();
    }
}
