using Dapper;

namespace WikiSync.Storage;

/// <summary>One refresh asked for and not yet done: the project (<c>*</c> = every project), the scope and the latest ask.</summary>
public sealed record PendingRefresh(string Project, string Scope, DateTimeOffset RequestedAt);

/// <summary>
/// Table <c>pending_refreshes</c>: asking again moves the row's time forward; a refresh that started after the
/// latest ask removes it, one that started before leaves it for the next run.
/// </summary>
public sealed class PendingRefreshesStore(IStore store)
{
    public async Task AddAsync(string project, string scope, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO pending_refreshes (project, scope, requested_utc) VALUES (@Project, @Scope, @At)
            ON CONFLICT (project, scope) DO UPDATE SET requested_utc = excluded.requested_utc
            """,
            new { Project = project, Scope = scope, At = store.Dialect.ToDb(at) }, cancellationToken: cancellationToken));
    }

    /// <summary>The rows last asked for before <paramref name="before"/>, oldest first.</summary>
    public async Task<IReadOnlyList<PendingRefresh>> OlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT project AS Project, scope AS Scope, requested_utc AS RequestedUtc FROM pending_refreshes WHERE requested_utc < @Before ORDER BY requested_utc",
            new { Before = store.Dialect.ToDb(before) }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new PendingRefresh(r.Project, r.Scope, Dialect.FromDb(r.RequestedUtc)))];
    }

    /// <summary>Removes the row unless it was asked for again after <paramref name="startedAt"/> (that ask needs a run of its own).</summary>
    public async Task DoneAsync(string project, string scope, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM pending_refreshes WHERE project = @Project AND scope = @Scope AND requested_utc <= @Started",
            new { Project = project, Scope = scope, Started = store.Dialect.ToDb(startedAt) }, cancellationToken: cancellationToken));
    }

    private sealed class Row
    {
        public string Project { get; init; } = "";
        public string Scope { get; init; } = "";
        public object RequestedUtc { get; init; } = "";
    }
}
