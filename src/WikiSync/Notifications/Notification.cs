using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WikiSync.Notifications;

/// <summary>What a notification asks of WikiSync.</summary>
public enum NotificationKind
{
    /// <summary>A server changed in a way a page shows: refresh the project's instances sections.</summary>
    Instances,
    /// <summary>A project was created or changed in Keystone: refresh the projects sections.</summary>
    ProjectChanged,
    /// <summary>A project was deleted in Keystone: reported; its page is left as it is.</summary>
    ProjectDeleted,
    /// <summary>A known kind of event that changes nothing a page shows (a <c>.start</c>, an audit, a login).</summary>
    Ignored,
    /// <summary>An event type WikiSync does not know.</summary>
    Unknown,
    /// <summary>Not JSON, not an oslo message, or without the field the event needs.</summary>
    Malformed,
}

/// <summary>
/// One message of Nova's versioned or Keystone's notifications: its kind, event type, the project it is about
/// (Keystone's id: Nova's <c>payload.nova_object.data.tenant_id</c>, Keystone's <c>payload.resource_info</c>),
/// Nova's timestamp, and for a malformed one why.
/// </summary>
public sealed record Notification(NotificationKind Kind, string EventType, string? ProjectId = null, DateTimeOffset? Timestamp = null, string? Problem = null)
{
    /// <summary>The event label of <c>wikisync_notifications_total</c> for a message without a readable event type.</summary>
    public const string NoEventType = "(none)";

    /// <summary>
    /// The server events that change what an instances section shows (name, state, addresses, flavor,
    /// image, power and task state). The notification is only the trigger: the refresh reads Nova.
    /// </summary>
    private static readonly HashSet<string> InstanceEvents = new(StringComparer.Ordinal)
    {
        "instance.create.end", "instance.create.error", "instance.delete.end", "instance.soft_delete.end", "instance.restore.end",
        "instance.update", "instance.power_on.end", "instance.power_off.end", "instance.reboot.end", "instance.shutdown.end",
        "instance.rebuild.end", "instance.rebuild.error", "instance.resize.end", "instance.resize_finish.end", "instance.resize_confirm.end",
        "instance.resize_revert.end", "instance.resize.error", "instance.pause.end", "instance.unpause.end", "instance.suspend.end",
        "instance.resume.end", "instance.shelve.end", "instance.shelve_offload.end", "instance.unshelve.end", "instance.rescue.end",
        "instance.unrescue.end", "instance.evacuate", "instance.live_migration_post.end", "instance.live_migration_rollback.end",
        "instance.interface_attach.end", "instance.interface_detach.end", "instance.lock", "instance.unlock",
    };

    /// <summary>
    /// The families of Nova's versioned and Keystone's notifications: an event of these not named above changes
    /// nothing a page shows (a <c>.start</c>, the scheduler's, a service's heartbeat, a login).
    /// </summary>
    private static readonly string[] KnownFamilies =
    [
        "instance.", "identity.", "scheduler.", "compute_task.", "compute.", "service.", "aggregate.", "flavor.", "keypair.",
        "server_group.", "libvirt.", "volume.", "metrics.", "image.", "authenticate",
    ];

    /// <summary>
    /// Reads one message body: the oslo envelope <c>{"oslo.version": "2.0", "oslo.message": "&lt;json&gt;"}</c>, or
    /// the message itself (what a driver without the envelope sends). Never throws.
    /// </summary>
    public static Notification Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            using var outer = JsonDocument.Parse(Encoding.UTF8.GetString(body));
            if (outer.RootElement.ValueKind != JsonValueKind.Object)
                return Malformed(NoEventType, "the body is not a JSON object");
            if (outer.RootElement.TryGetProperty("oslo.message", out var inner))
            {
                if (inner.ValueKind != JsonValueKind.String)
                    return Malformed(NoEventType, "\"oslo.message\" is not a string");
                using var message = JsonDocument.Parse(inner.GetString()!);
                return Read(message.RootElement);
            }
            return Read(outer.RootElement);
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException)
        {
            return Malformed(NoEventType, "not JSON: " + e.Message);
        }
    }

    private static Notification Read(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
            return Malformed(NoEventType, "the message is not a JSON object");
        if (Text(message, "event_type") is not { Length: > 0 } eventType)
            return Malformed(NoEventType, "the message has no event_type");
        var timestamp = ParseTimestamp(Text(message, "timestamp"));
        var payload = message.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;

        if (InstanceEvents.Contains(eventType))
        {
            var data = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("nova_object.data", out var d) ? d : default;
            return Text(data, "tenant_id") is { Length: > 0 } tenant
                ? new Notification(NotificationKind.Instances, eventType, tenant, timestamp)
                : Malformed(eventType, "no payload.nova_object.data.tenant_id");
        }

        var kind = eventType switch
        {
            "identity.project.created" or "identity.project.updated" => NotificationKind.ProjectChanged,
            "identity.project.deleted" => NotificationKind.ProjectDeleted,
            _ when KnownFamilies.Any(f => eventType.StartsWith(f, StringComparison.Ordinal)) => NotificationKind.Ignored,
            _ => NotificationKind.Unknown,
        };
        if (kind is NotificationKind.Ignored or NotificationKind.Unknown)
            return new Notification(kind, eventType, null, timestamp);
        return Text(payload, "resource_info") is { Length: > 0 } project
            ? new Notification(kind, eventType, project, timestamp)
            : Malformed(eventType, "no payload.resource_info");
    }

    private static Notification Malformed(string eventType, string problem) => new(NotificationKind.Malformed, eventType, Problem: problem);

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>oslo's <c>2026-12-02 15:54:31.684343</c> (UTC), or ISO 8601.</summary>
    private static DateTimeOffset? ParseTimestamp(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;
}
