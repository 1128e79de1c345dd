using Microsoft.Extensions.Logging;
using WikiSync.Jobs;
using WikiSync.Sources;
using WikiSync.Storage;
using WikiSync.Sync;

namespace WikiSync.Notifications;

/// <summary>
/// One message from the queue: read it, find its project, store the refresh it asks for as pending, and ask the
/// debouncer for it. When <see cref="HandleAsync"/> returns the message may be acknowledged (its refresh is stored
/// or it asks for none); when it throws (the store cannot be written) the message must go back to the queue.
/// Every message is counted in <c>wikisync_notifications_total{event,result}</c>.
/// </summary>
public sealed class NotificationHandler(
    IProjectCatalog projects,
    PendingRefreshesStore pending,
    RefreshDebouncer debouncer,
    NotificationState state,
    IWikiSyncMetrics metrics,
    TimeProvider time,
    ILogger<NotificationHandler> log)
{
    /// <summary>The <c>result</c> labels of <c>wikisync_notifications_total</c>.</summary>
    public static class Results
    {
        public const string Queued = "queued";
        public const string Reported = "reported";
        public const string Ignored = "ignored";
        public const string Unknown = "unknown";
        public const string Malformed = "malformed";
        public const string NotInInventory = "not_in_inventory";
    }

    public async Task HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var message = Notification.Parse(body.Span);
        var result = await DecideAsync(message, cancellationToken);
        // Event types come from the wire: bounded, so a stream of made-up ones cannot grow the metrics without end.
        metrics.Notification(message.EventType.Length > 80 ? message.EventType[..80] : message.EventType, result.Label);
        state.Handled(new LastNotification(message.EventType, result.Project ?? message.ProjectId, result.Label, time.GetUtcNow()));
    }

    private async Task<(string Label, string? Project)> DecideAsync(Notification message, CancellationToken cancellationToken)
    {
        switch (message.Kind)
        {
            case NotificationKind.Malformed:
                log.LogWarning("Notification dropped ({EventType}): {Problem}", message.EventType, message.Problem);
                return (Results.Malformed, null);
            case NotificationKind.Unknown:
                log.LogInformation("Notification {EventType} is not an event WikiSync knows; dropped", message.EventType);
                return (Results.Unknown, null);
            case NotificationKind.Ignored:
                log.LogDebug("Notification {EventType} changes nothing a page shows", message.EventType);
                return (Results.Ignored, null);
            case NotificationKind.ProjectDeleted:
                // A page is history people link to: a project gone from Keystone keeps its page as it was.
                log.LogWarning("Project {ProjectId} was deleted in Keystone ({EventType}); its page is left as it is", message.ProjectId, message.EventType);
                return (Results.Reported, null);
            case NotificationKind.ProjectChanged:
                // A new project's name is not known before the next collection: every project's page is checked.
                await QueueAsync(new RefreshTarget(RefreshTarget.AllProjects, RefreshTrigger.Projects), message, cancellationToken);
                return (Results.Queued, null);
            default:
                return await QueueInstancesAsync(message, cancellationToken);
        }
    }

    private async Task<(string Label, string? Project)> QueueInstancesAsync(Notification message, CancellationToken cancellationToken)
    {
        string? name;
        try
        {
            name = (await projects.FindByIdAsync(message.ProjectId!, cancellationToken))?.Name;
        }
        catch (SourceException e)
        {
            // Which page is not known while the source is down; every project's instances are refreshed once it answers.
            log.LogWarning("Notification {EventType} for project {ProjectId}: the inventory cannot be read ({Reason}); every project's instances will be refreshed",
                message.EventType, message.ProjectId, e.Message);
            await QueueAsync(new RefreshTarget(RefreshTarget.AllProjects, RefreshTrigger.Instances), message, cancellationToken);
            return (Results.Queued, null);
        }

        if (name is null)
        {
            log.LogWarning("Notification {EventType} names project {ProjectId}, which is not in the inventory; dropped", message.EventType, message.ProjectId);
            return (Results.NotInInventory, null);
        }
        await QueueAsync(new RefreshTarget(name, RefreshTrigger.Instances), message, cancellationToken);
        return (Results.Queued, name);
    }

    private async Task QueueAsync(RefreshTarget target, Notification message, CancellationToken cancellationToken)
    {
        await pending.AddAsync(target.Project, target.Scope, time.GetUtcNow(), cancellationToken);
        log.LogDebug("Notification {EventType} queues a refresh of {Target}", message.EventType, target.ToString());
        debouncer.Ask(target);
    }
}
