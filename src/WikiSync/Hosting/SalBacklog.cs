using WikiSync.AdminLog;

namespace WikiSync.Hosting;

/// <summary>
/// SAL entries stored but not yet on the wiki; and those the wiki refused (<see cref="RefusedCount"/>, the
/// newest of them in <see cref="Refused"/>), which wait for an operator, not for the wiki.
/// </summary>
public sealed record SalBacklog(int Waiting, DateTimeOffset? Oldest, IReadOnlyList<string> Projects)
{
    /// <summary>How many refused entries the status page lists at most (the count says whether there are more).</summary>
    public const int RefusedShown = 50;

    public int RefusedCount { get; init; }

    public IReadOnlyList<StoredLogEntry> Refused { get; init; } = [];

    public static SalBacklog None { get; } = new(0, null, []);
}

/// <summary>Reads the SAL backlog from the entry store, for /metrics and the status page.</summary>
public interface ISalBacklogReader
{
    Task<SalBacklog> ReadAsync(CancellationToken cancellationToken);
}

public sealed class NoSalBacklog : ISalBacklogReader
{
    public Task<SalBacklog> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(SalBacklog.None);
}

/// <summary>The project names the status page offers a refresh button for.</summary>
public interface IProjectNames
{
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);
}

public sealed class FixedProjectNames(IReadOnlyList<string> names) : IProjectNames
{
    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(names);
}
