namespace WikiSync.Sync;

/// <summary>
/// Runs the one flow (collect, render, splice, edit) for the jobs and projects asked. The scheduler,
/// the CLI, the HTTP refresh button and the SAL publisher all come in here.
/// </summary>
public interface ISyncRunner
{
    Task<SyncReport> RunAsync(SyncRequest request, CancellationToken cancellationToken);
}
