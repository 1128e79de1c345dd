namespace WikiSync.Notifications;

/// <summary>The latest notification handled: its event, the project it named (as given) and when it came.</summary>
public sealed record LastNotification(string EventType, string? Project, string Result, DateTimeOffset At);

/// <summary>
/// Whether this node listens to OpenStack's notifications and is connected to RabbitMQ, and the latest event:
/// what <c>/healthz</c>, the status page and <c>/status.json</c> show.
/// </summary>
public sealed class NotificationState(bool configured)
{
    private readonly Lock _lock = new();
    private bool _connected;
    private string? _problem;
    private DateTimeOffset? _since;
    private LastNotification? _last;

    public static NotificationState NotConfigured => new(false);

    public bool Configured { get; } = configured;

    public NotificationSnapshot Snapshot()
    {
        lock (_lock)
            return new NotificationSnapshot(Configured, _connected, _problem, _since, _last);
    }

    internal void Connected(DateTimeOffset at)
    {
        lock (_lock)
            (_connected, _problem, _since) = (true, null, at);
    }

    internal void Disconnected(string problem, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (_connected || _since is null)
                _since = at;
            (_connected, _problem) = (false, problem);
        }
    }

    internal void Handled(LastNotification last)
    {
        lock (_lock)
            _last = last;
    }
}

/// <summary>One reading of <see cref="NotificationState"/>; <see cref="Since"/> is when it last connected or lost the connection.</summary>
public sealed record NotificationSnapshot(bool Configured, bool Connected, string? Problem, DateTimeOffset? Since, LastNotification? Last)
{
    /// <summary>Configured and not connected: the node does not hear of changes until the next scheduled pass.</summary>
    public bool Unhealthy => Configured && !Connected;
}
