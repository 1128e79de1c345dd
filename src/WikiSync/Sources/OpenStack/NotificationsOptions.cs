namespace WikiSync.Sources.OpenStack;

/// <summary>
/// <c>openstack.notifications</c>: the RabbitMQ that Nova and Keystone notify on, and how the pushes are
/// gathered into refreshes. Null <see cref="Url"/> = not configured (polling only). The URL may carry the
/// broker's password: <see cref="ToString"/> never prints it.
/// </summary>
public sealed record NotificationsOptions
{
    public const string DefaultQueue = "wikisync";

    /// <summary><c>amqp://user:password@host:5672/vhost</c>, or <c>amqps://</c> for TLS.</summary>
    public string? Url { get; init; }

    /// <summary>
    /// WikiSync's own durable queue, bound to Nova's and Keystone's exchanges; every node of one deployment
    /// names the same queue, so each message is handled by one node.
    /// </summary>
    public string Queue { get; init; } = DefaultQueue;

    /// <summary>A project's refresh waits this long after its latest notification (a burst makes one pass).</summary>
    public int DebounceMs { get; init; } = 300;

    /// <summary>...but never longer than this after its first one, so a steady stream still shows.</summary>
    public int MaxDelayMs { get; init; } = 2000;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);

    /// <summary>Every problem, each naming its key; empty when usable (or not configured).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!IsConfigured)
            return problems;
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
            problems.Add($"openstack.notifications.url \"{Redaction.Redact.Url(Url)}\" is not an amqp:// or amqps:// URL");
        if (string.IsNullOrWhiteSpace(Queue))
            problems.Add("openstack.notifications.queue must not be empty");
        if (DebounceMs < 0)
            problems.Add("openstack.notifications.debounce_ms must be 0 or more");
        if (MaxDelayMs < DebounceMs)
            problems.Add("openstack.notifications.max_delay_ms must be at least debounce_ms");
        return problems;
    }

    public override string ToString() =>
        $"NotificationsOptions {{ Url = {Redaction.Redact.Url(Url)}, Queue = {Queue}, DebounceMs = {DebounceMs}, MaxDelayMs = {MaxDelayMs} }}";
}
