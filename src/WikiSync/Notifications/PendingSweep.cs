using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WikiSync.Storage;

namespace WikiSync.Notifications;

/// <summary>How often the sweep looks for refreshes left pending, and how old a row must be to count as left.</summary>
public sealed record PendingSweepTimings
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Younger rows are most likely still in a node's debouncer or run.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Every <see cref="PendingSweepTimings.Interval"/>, asks again for each refresh still pending after the debounce and
/// the grace: a node killed mid-refresh, a wiki or cloud that failed the run. Any node's sweep may take any row (the
/// gated runner keeps two runs from saving one page at once).
/// </summary>
public sealed class PendingSweep(
    PendingRefreshesStore pending,
    RefreshDebouncer debouncer,
    Sources.OpenStack.NotificationsOptions options,
    PendingSweepTimings timings,
    TimeProvider time,
    ILogger<PendingSweep> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(timings.Interval, time);
        try
        {
            do
            {
                await SweepAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One look at the store: asks again for every row older than the debounce's longest delay and the grace.</summary>
    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            var before = time.GetUtcNow() - TimeSpan.FromMilliseconds(options.MaxDelayMs) - timings.Grace;
            var left = await pending.OlderThanAsync(before, cancellationToken);
            foreach (var row in left)
            {
                var target = new RefreshTarget(row.Project, row.Scope);
                log.LogInformation("Sweep: refresh of {Target} pending since {RequestedAt:O}; running it", target.ToString(), row.RequestedAt);
                debouncer.Ask(target);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Sweep of pending refreshes failed: {Reason}; trying again in {Interval} s", e.Message, timings.Interval.TotalSeconds);
        }
    }
}
