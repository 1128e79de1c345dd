using Prometheus;
using WikiSync.Sync;

namespace WikiSync.Hosting;

/// <summary>
/// The Prometheus side of <see cref="IWikiSyncMetrics"/>, on a registry of its own (one per host, so
/// tests can run several). The SAL backlog is read when scraped.
/// </summary>
public sealed class PrometheusMetrics : IWikiSyncMetrics
{
    private readonly Counter _edits;
    private readonly Counter _unchanged;
    private readonly Counter _conflicts;
    private readonly Counter _humanEditsReplaced;
    private readonly Counter _errors;
    private readonly Counter _retries;
    private readonly Gauge _lastSuccess;
    private readonly Counter _runs;
    private readonly Gauge _lastDuration;
    private readonly Gauge _salWaiting;
    private readonly Gauge _salOldestAge;
    private readonly Gauge _salRefused;
    private readonly Counter _notifications;

    public PrometheusMetrics(ISalBacklogReader backlog, TimeProvider time)
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _edits = factory.CreateCounter("wikisync_edits_total", "Edits saved on the wiki.", "job");
        _unchanged = factory.CreateCounter("wikisync_pages_unchanged_total", "Pages whose sections were already current.", "job");
        _conflicts = factory.CreateCounter("wikisync_edit_conflicts_retried_total", "Edit conflicts resolved by reading and splicing again.");
        _humanEditsReplaced = factory.CreateCounter("wikisync_human_edits_replaced_total", "Edits by someone else inside a generated section that WikiSync regenerated over.", "job");
        _errors = factory.CreateCounter("wikisync_errors_total", "Failures by code.", "code");
        _retries = factory.CreateCounter("wikisync_retries_total", "Requests tried again (maxlag, ratelimited, readonly, 5xx, timeout).", "reason");
        _lastSuccess = factory.CreateGauge("wikisync_job_last_success_timestamp_seconds", "When each job last finished without a failure (Unix time).", "job");
        _runs = factory.CreateCounter("wikisync_job_runs_total", "Runs finished, by job (a refresh: \"refresh PROJECT\" or \"refresh all\") and result.", "job", "result");
        _lastDuration = factory.CreateGauge("wikisync_job_last_duration_seconds", "How long each job's latest run took.", "job");
        _salWaiting = factory.CreateGauge("wikisync_sal_entries_waiting", "SAL entries stored but not yet published.");
        _salOldestAge = factory.CreateGauge("wikisync_sal_oldest_waiting_age_seconds", "Age of the oldest SAL entry waiting to be published (0 when none).");
        _salRefused = factory.CreateGauge("wikisync_sal_entries_refused", "SAL entries the wiki refused for their text, kept in the store until an operator retries or hides them.");
        _notifications = factory.CreateCounter("wikisync_notifications_total", "OpenStack notifications handled, by event type and result (queued, reported, ignored, unknown, malformed, not_in_inventory).", "event", "result");
        Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            try
            {
                var now = await backlog.ReadAsync(cancellationToken);
                _salWaiting.Set(now.Waiting);
                _salRefused.Set(now.RefusedCount);
                _salOldestAge.Set(now.Oldest is { } oldest ? Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds) : 0);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A store that does not answer shows in /healthz; the scrape still returns the counters.
                _errors.WithLabels("store").Inc();
            }
        });
    }

    public CollectorRegistry Registry { get; }

    public void EditMade(string job) => _edits.WithLabels(job).Inc();

    public void PageUnchanged(string job) => _unchanged.WithLabels(job).Inc();

    public void ConflictRetried() => _conflicts.Inc();

    public void HumanEditReplaced(string job) => _humanEditsReplaced.WithLabels(job).Inc();

    public void Error(string code) => _errors.WithLabels(code).Inc();

    public void Retry(string reason) => _retries.WithLabels(reason).Inc();

    public void JobSucceeded(string job, DateTimeOffset at) => _lastSuccess.WithLabels(job).Set(at.ToUnixTimeMilliseconds() / 1000.0);

    public void JobFinished(string job, string result, TimeSpan duration)
    {
        _lastDuration.WithLabels(job).Set(duration.TotalSeconds);
        _runs.WithLabels(job, result).Inc();
    }

    public void Notification(string eventType, string result) => _notifications.WithLabels(eventType, result).Inc();

    public async Task WriteAsync(Stream output, CancellationToken cancellationToken) =>
        await Registry.CollectAndExportAsTextAsync(output, cancellationToken);
}
