using Microsoft.Extensions.Logging;
using WikiSync.Sync;
using WikiSync.Scheduling;

namespace WikiSync.Hosting;

/// <summary>
/// The status page's "refresh now": runs every job for one project (or for all), in the background, through the same
/// gated runner as the scheduler (so it never edits a page another node is editing).
/// </summary>
public sealed class RefreshService(
    ISyncRunner runner,
    JobRunHistory history,
    IWikiSyncMetrics metrics,
    TimeProvider time,
    ILogger<RefreshService> log) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Task> _running = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The run label (status page, metrics) of a refresh of every project.</summary>
    public const string AllLabel = "refresh all";

    /// <summary>Starts a refresh unless one for the same project is already running; true when started.</summary>
    public bool Start(string project) => Start(project, "refresh " + project, new SyncRequest([], [project], DryRun: false) { Urgent = true });

    /// <summary>Starts a refresh of every job for every project unless one is already running; true when started.</summary>
    public bool StartAll() => Start("*", AllLabel, SyncRequest.All with { Urgent = true });

    private bool Start(string key, string label, SyncRequest request)
    {
        lock (_lock)
        {
            if (_running.TryGetValue(key, out var task) && !task.IsCompleted)
                return false;
            log.LogInformation("Refresh asked for: {Label}", label);
            _running[key] = Task.Run(() => SyncJob.RunAsync(runner, history, metrics, time, log, label, request, _stopping.Token));
            return true;
        }
    }

    /// <summary>Waits for refreshes in progress (they stop after the page in hand).</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        Task[] tasks;
        lock (_lock)
            tasks = [.. _running.Values];
        await Task.WhenAll(tasks);
    }

    public void Dispose() => _stopping.Dispose();
}
