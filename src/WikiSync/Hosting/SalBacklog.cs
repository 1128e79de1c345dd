namespace WikiSync.Hosting;

/// <summary>SAL entries stored but not yet on the wiki.</summary>
public sealed record SalBacklog(int Waiting, DateTimeOffset? Oldest, IReadOnlyList<string> Projects)
{
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
