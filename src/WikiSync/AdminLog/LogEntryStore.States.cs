using Dapper;
using WikiSync.Storage;

namespace WikiSync.AdminLog;

/// <summary>The states of <see cref="SalEntryState"/> in table <c>sal_entries</c> (migration 5): refused, hidden, retried.</summary>
public sealed partial class LogEntryStore
{
    private const string RefusedState = "refused";
    private const string HiddenState = "hidden";

    public async Task<StoredLogEntry?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {StatedColumns} FROM sal_entries WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToStored();
    }

    /// <summary>
    /// The newest entries, of one project or all (null), newest first; only those in <paramref name="states"/>
    /// when it names any (refused and hidden are the ones the operator asks about).
    /// </summary>
    public async Task<IReadOnlyList<StoredLogEntry>> ListStatedAsync(string? project, IReadOnlyCollection<SalEntryState> states, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var where = new List<string>();
        if (project is not null)
            where.Add("project = @Project");
        if (states.Count > 0)
        {
            where.Add("(" + string.Join(" OR ", states.Distinct().Select(s => s switch
            {
                SalEntryState.Refused => $"state = '{RefusedState}'",
                SalEntryState.Hidden => $"state = '{HiddenState}'",
                SalEntryState.Waiting => Waiting,
                _ => "published_revision IS NOT NULL AND state IS NULL",
            })) + ")");
        }

        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {StatedColumns} FROM sal_entries" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
                + " ORDER BY received_utc DESC, id DESC LIMIT @Limit",
            new { Project = project, Limit = limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToStored())];
    }

    /// <summary>How many entries the wiki refused, and the newest <paramref name="limit"/> of them (the status page, /metrics).</summary>
    public async Task<(int Count, IReadOnlyList<StoredLogEntry> Newest)> SummarizeRefusedAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM sal_entries WHERE state = '{RefusedState}'", cancellationToken: cancellationToken));
        if (count == 0)
            return (0, []);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {StatedColumns} FROM sal_entries WHERE state = '{RefusedState}' ORDER BY received_utc DESC, id DESC LIMIT @Limit",
            new { Limit = limit }, cancellationToken: cancellationToken));
        return ((int)count, [.. rows.Select(r => r.ToStored())]);
    }

    /// <summary>
    /// Records that the wiki refuses these waiting entries, with its <paramref name="reason"/>; an entry
    /// published, hidden or refused meanwhile keeps what it has. Returns how many were marked.
    /// </summary>
    public async Task<int> MarkRefusedAsync(IReadOnlyCollection<long> ids, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
            return 0;
        var dialect = store.Dialect;
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE sal_entries SET state = '{RefusedState}', state_reason = @Reason, state_utc = @Now WHERE {Waiting} AND {dialect.InList("id", "@Ids")}",
            new { Reason = reason, Now = dialect.ToDb(now), Ids = ids.ToArray() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Makes a refused or hidden entry an ordinary one again: waiting when it never reached the wiki,
    /// shown again when it did. Changed is false when it was neither (nothing to retry).
    /// </summary>
    public async Task<SalStateChange> RetryAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sal_entries SET state = NULL, state_reason = NULL, state_utc = NULL WHERE id = @Id AND state IS NOT NULL",
            new { Id = id }, cancellationToken: cancellationToken));
        return new SalStateChange(await GetAsync(id, cancellationToken), changed > 0);
    }

    /// <summary>
    /// Keeps the entry off every page from now on (a refusal's reason stays, to say what it was). Changed
    /// is false when it was hidden already.
    /// </summary>
    public async Task<SalStateChange> HideAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dialect = store.Dialect;
        await using var connection = await store.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE sal_entries SET state = '{HiddenState}', state_utc = @Now WHERE id = @Id AND (state IS NULL OR state <> '{HiddenState}')",
            new { Id = id, Now = dialect.ToDb(now) }, cancellationToken: cancellationToken));
        return new SalStateChange(await GetAsync(id, cancellationToken), changed > 0);
    }

    /// <summary>Refused entries from these channels (in any case, as IRC compares them) whose author has not been told yet, oldest first.</summary>
    public async Task<IReadOnlyList<StoredLogEntry>> RefusedUntoldAsync(IReadOnlyCollection<string> channels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Count == 0)
            return [];
        var dialect = store.Dialect;
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {StatedColumns} FROM sal_entries WHERE state = '{RefusedState}' AND refusal_told_utc IS NULL AND {dialect.InList("LOWER(channel)", "@Channels")} ORDER BY received_utc, id",
            new { Channels = channels.Select(c => c.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray() }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToStored())];
    }

    /// <summary>
    /// Claims the telling of an entry's refusal: true for exactly one caller, whichever node or process
    /// asks, so the author hears of it once.
    /// </summary>
    public async Task<bool> ClaimRefusalNoticeAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dialect = store.Dialect;
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE sal_entries SET refusal_told_utc = @Now WHERE id = @Id AND state = '{RefusedState}' AND refusal_told_utc IS NULL",
            new { Id = id, Now = dialect.ToDb(now) }, cancellationToken: cancellationToken)) == 1;
    }
}
