namespace WikiSync.Sync;

/// <summary>One pass: the jobs and projects to cover (empty = all) and whether to write.</summary>
public sealed record SyncRequest(IReadOnlyList<string> Jobs, IReadOnlyList<string> Projects, bool DryRun)
{
    public static SyncRequest All { get; } = new([], [], false);
}
