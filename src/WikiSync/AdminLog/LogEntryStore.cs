using Dapper;
using WikiSync.Model;
using WikiSync.Storage;
using WikiSync.Sync;

namespace WikiSync.AdminLog;

/// <summary>An entry about to be stored. <see cref="IdempotencyKey"/> makes a repeated submission a no-op.</summary>
public sealed record NewLogEntry(
    string IdempotencyKey,
    string Project,
    string Author,
    string Message,
    string Channel,
    DateTimeOffset ReceivedUtc);

/// <summary>What is waiting: how many entries and since when, for status and metrics.</summary>
public sealed record UnpublishedSummary(int Count, DateTimeOffset? OldestReceivedUtc);

/// <summary>The SAL entries in the store (table <c>sal_entries</c>), through Dapper, on either engine.</summary>
public sealed partial class LogEntryStore(IStore store) : ILogEntryReader
{
    internal const string Columns = """
        id AS Id, project AS Project, author AS Author, message AS Message, channel AS Channel,
        received_utc AS ReceivedUtc, published_revision AS PublishedRevision
        """;

    /// <summary>
    /// The condition of an entry any page may show: neither refused by the wiki nor hidden by an operator.
    /// Every read for rendering, search and the feeds has it.
    /// </summary>
    internal const string Shown = "state IS NULL";

    /// <summary>The condition of an entry waiting to be published (a refused or hidden one waits for nothing).</summary>
    internal const string Waiting = "published_revision IS NULL AND state IS NULL";

    private const string StatedColumns = Columns + ", state AS State, state_reason AS StateReason, state_utc AS StateUtc";

    /// <summary>Stores the entry unless one with its key exists; either way returns the stored entry.</summary>
    public async Task<(LogEntry Entry, bool Added)> AddAsync(NewLogEntry entry, CancellationToken cancellationToken)
    {
        var dialect = store.Dialect;
        await using var connection = await store.OpenAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO sal_entries (idempotency_key, project, author, message, channel, received_utc)
            VALUES (@IdempotencyKey, @Project, @Author, @Message, @Channel, @ReceivedUtc)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id
            """,
            new
            {
                entry.IdempotencyKey,
                entry.Project,
                entry.Author,
                entry.Message,
                entry.Channel,
                ReceivedUtc = dialect.ToDb(entry.ReceivedUtc),
            },
            cancellationToken: cancellationToken));
        if (id is { } added)
        {
            return (new LogEntry(added, entry.Project, entry.Author, entry.Message, entry.Channel, Dialect.FromDb(dialect.ToDb(entry.ReceivedUtc))), true);
        }

        var existing = await connection.QuerySingleAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM sal_entries WHERE idempotency_key = @Key",
            new { Key = entry.IdempotencyKey },
            cancellationToken: cancellationToken));
        return (existing.ToEntry(), false);
    }

    public async Task<IReadOnlyList<LogEntry>> ListAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var dialect = store.Dialect;
        await using var connection = await store.OpenAsync(cancellationToken);
        var sql = since is null
            ? $"SELECT {Columns} FROM sal_entries WHERE project = @Project AND {Shown} ORDER BY received_utc DESC, id DESC"
            : $"SELECT {Columns} FROM sal_entries WHERE project = @Project AND {Shown} AND received_utc >= @Since ORDER BY received_utc DESC, id DESC";
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            sql, new { Project = project, Since = dialect.ToDb(since) }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    public async Task<IReadOnlyList<LogEntry>> ListBetweenAsync(string project, DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var dialect = store.Dialect;
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM sal_entries WHERE project = @Project AND {Shown} AND received_utc >= @From AND received_utc < @Before ORDER BY received_utc DESC, id DESC",
            new { Project = project, From = dialect.ToDb(from), Before = dialect.ToDb(before) }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>
    /// One index seek per month, newest first: the newest entry before the cursor names a month, and the
    /// cursor moves to that month's start. Years of history cost a few dozen seeks, never a scan.
    /// </summary>
    public async Task<IReadOnlyList<string>> MonthsBeforeAsync(string project, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var dialect = store.Dialect;
        await using var connection = await store.OpenAsync(cancellationToken);
        var months = new List<string>();
        var cursor = before;
        while (true)
        {
            var newest = await connection.ExecuteScalarAsync<object?>(new CommandDefinition(
                $"SELECT MAX(received_utc) FROM sal_entries WHERE project = @Project AND {Shown} AND received_utc < @Before",
                new { Project = project, Before = dialect.ToDb(cursor) }, cancellationToken: cancellationToken));
            if (Dialect.FromDbNullable(newest) is not { } at)
                return months;
            months.Add(SalEntries.MonthOf(at));
            cursor = new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero);
        }
    }

    /// <summary>
    /// What <see cref="MonthsBeforeAsync"/> gives for each of <paramref name="projects"/>, keyed by the name
    /// exactly as asked: one query per 500 projects finds the newest entry before <paramref name="before"/> of
    /// each (most projects have none, and are done), then the months of the others are walked as one by one.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> MonthsBeforeManyAsync(IReadOnlyCollection<string> projects, DateTimeOffset before,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var months = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var project in projects)
            months.TryAdd(project, []);
        var dialect = store.Dialect;
        var older = new List<string>();
        await using (var connection = await store.OpenAsync(cancellationToken))
        {
            foreach (var chunk in months.Keys.ToList().Chunk(500))
            {
                var found = await connection.QueryAsync<string>(new CommandDefinition(
                    $"SELECT DISTINCT project FROM sal_entries WHERE {dialect.InList("project", "@Projects")} AND {Shown} AND received_utc < @Before",
                    new { Projects = chunk, Before = dialect.ToDb(before) }, cancellationToken: cancellationToken));
                // The engine's equality picked the row, ours files it: only a name exactly as asked.
                older.AddRange(found.Where(months.ContainsKey));
            }
        }
        foreach (var project in older.Distinct(StringComparer.Ordinal))
            months[project] = await MonthsBeforeAsync(project, before, cancellationToken);
        return months;
    }

    /// <summary>The newest entry of each project: one index seek a project.</summary>
    public async Task<IReadOnlyList<LogEntry>> LatestAsync(IReadOnlyCollection<string> projects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projects);
        await using var connection = await store.OpenAsync(cancellationToken);
        var latest = new List<LogEntry>();
        foreach (var project in projects.Distinct(StringComparer.Ordinal))
        {
            var row = await connection.QueryFirstOrDefaultAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM sal_entries WHERE project = @Project AND {Shown} ORDER BY received_utc DESC, id DESC LIMIT 1",
                new { Project = project }, cancellationToken: cancellationToken));
            if (row is not null)
                latest.Add(row.ToEntry());
        }
        return latest;
    }

    /// <summary>
    /// One query per 500 projects instead of one per project; the same rows and order per project as
    /// <see cref="ListAsync"/> with the same <paramref name="since"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<LogEntry>>> ListManyAsync(IReadOnlyCollection<string> projects, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var lists = new Dictionary<string, List<LogEntry>>(StringComparer.Ordinal);
        foreach (var project in projects)
            lists.TryAdd(project, []);
        if (lists.Count == 0)
            return new Dictionary<string, IReadOnlyList<LogEntry>>(StringComparer.Ordinal);
        var dialect = store.Dialect;
        await using var connection = await store.OpenAsync(cancellationToken);
        var window = since is null ? "" : " AND received_utc >= @Since";
        foreach (var chunk in lists.Keys.ToList().Chunk(500))
        {
            var rows = await connection.QueryAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM sal_entries WHERE {dialect.InList("project", "@Projects")} AND {Shown}{window} ORDER BY project, received_utc DESC, id DESC",
                new { Projects = chunk, Since = dialect.ToDb(since) }, cancellationToken: cancellationToken));
            foreach (var row in rows)
            {
                // The engine's equality picked the row, ours files it: only a name exactly as asked.
                if (lists.TryGetValue(row.Project, out var list))
                    list.Add(row.ToEntry());
            }
        }
        return lists.ToDictionary(p => p.Key, p => (IReadOnlyList<LogEntry>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>Entries not yet recorded as published, oldest first; of one project, or of all when null.</summary>
    public async Task<IReadOnlyList<LogEntry>> ListUnpublishedAsync(string? project, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var sql = project is null
            ? $"SELECT {Columns} FROM sal_entries WHERE {Waiting} ORDER BY received_utc, id"
            : $"SELECT {Columns} FROM sal_entries WHERE {Waiting} AND project = @Project ORDER BY received_utc, id";
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, new { Project = project }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    public async Task<IReadOnlyList<string>> ProjectsWithUnpublishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT DISTINCT project FROM sal_entries WHERE {Waiting} ORDER BY project",
            cancellationToken: cancellationToken));
        return [.. rows];
    }

    public async Task<UnpublishedSummary> SummarizeUnpublishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(long Count, object? Oldest)>(new CommandDefinition(
            $"SELECT COUNT(*), MIN(received_utc) FROM sal_entries WHERE {Waiting}",
            cancellationToken: cancellationToken));
        return new UnpublishedSummary((int)row.Count, Dialect.FromDbNullable(row.Oldest));
    }

    /// <summary>
    /// Records the entries as published in <paramref name="revision"/>. An entry already recorded keeps its
    /// first revision, so a second node or a retry cannot move it. Returns how many were newly recorded.
    /// </summary>
    public async Task<int> MarkPublishedAsync(IReadOnlyCollection<long> ids, long revision, DateTimeOffset publishedUtc, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        var dialect = store.Dialect;
        await using var connection = await store.OpenAsync(cancellationToken);
        var total = 0;
        foreach (var chunk in ids.Chunk(500))
        {
            total += await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE sal_entries SET published_revision = @Revision, published_utc = @Published WHERE published_revision IS NULL AND {dialect.InList("id", "@Ids")}",
                new { Revision = revision, Published = dialect.ToDb(publishedUtc), Ids = chunk },
                cancellationToken: cancellationToken));
        }

        return total;
    }

    /// <summary>
    /// Stores entries read from an earlier log in one transaction (a year of log is thousands of rows),
    /// skipping every key already there; returns how many were added. They are recorded as published in
    /// revision 0 ("on the wiki before WikiSync"): the hand-kept pages already show them, so the publisher
    /// has nothing to hurry for, and the sections render them from the store like any entry.
    /// </summary>
    public async Task<int> AddImportedAsync(IReadOnlyCollection<NewLogEntry> entries, DateTimeOffset importedUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var dialect = store.Dialect;
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var added = 0;
        foreach (var entry in entries)
        {
            added += await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO sal_entries (idempotency_key, project, author, message, channel, received_utc, published_revision, published_utc)
                VALUES (@IdempotencyKey, @Project, @Author, @Message, @Channel, @ReceivedUtc, 0, @Imported)
                ON CONFLICT (idempotency_key) DO NOTHING
                """,
                new
                {
                    entry.IdempotencyKey,
                    entry.Project,
                    entry.Author,
                    entry.Message,
                    entry.Channel,
                    ReceivedUtc = dialect.ToDb(entry.ReceivedUtc),
                    Imported = dialect.ToDb(importedUtc),
                },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>Which of <paramref name="keys"/> the store holds already (a dry run's "would add").</summary>
    public async Task<IReadOnlySet<string>> ExistingKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (keys.Count == 0)
            return found;
        var dialect = store.Dialect;
        await using var connection = await store.OpenAsync(cancellationToken);
        foreach (var chunk in keys.Chunk(500))
        {
            found.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(
                $"SELECT idempotency_key FROM sal_entries WHERE {dialect.InList("idempotency_key", "@Keys")}",
                new { Keys = chunk }, cancellationToken: cancellationToken)));
        }

        return found;
    }

    // Dapper fills this by column alias; timestamps come back as whatever the engine gives. Search reads it too.
    internal sealed class Row
    {
        public long Id { get; init; }
        public string Project { get; init; } = "";
        public string Author { get; init; } = "";
        public string Message { get; init; } = "";
        public string Channel { get; init; } = "";
        public object ReceivedUtc { get; init; } = "";
        public long? PublishedRevision { get; init; }

        public string? State { get; init; }

        public string? StateReason { get; init; }

        public object? StateUtc { get; init; }

        public LogEntry ToEntry() =>
            new(Id, Project, Author, Message, Channel, Dialect.FromDb(ReceivedUtc), PublishedRevision);

        public StoredLogEntry ToStored() => new(ToEntry(), State switch
        {
            RefusedState => SalEntryState.Refused,
            HiddenState => SalEntryState.Hidden,
            _ => PublishedRevision is null ? SalEntryState.Waiting : SalEntryState.Published,
        }, StateReason, Dialect.FromDbNullable(StateUtc));
    }
}
