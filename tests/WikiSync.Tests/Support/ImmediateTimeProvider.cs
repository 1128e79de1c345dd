namespace WikiSync.Tests.Support;

/// <summary>
/// Fires every timer shorter than <see cref="Horizon"/> at once and records its due time, so retry waits
/// cost nothing and can be checked; longer timers (request timeouts) never fire.
/// </summary>
public sealed class ImmediateTimeProvider : TimeProvider
{
    private readonly List<TimeSpan> _waits = [];

    public TimeSpan Horizon { get; init; } = TimeSpan.FromMinutes(10);

    public DateTimeOffset Now { get; set; } = new(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);

    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_waits)
                return [.. _waits];
        }
    }

    public override DateTimeOffset GetUtcNow() => Now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime >= Horizon || dueTime == Timeout.InfiniteTimeSpan)
            return new NeverTimer();
        lock (_waits)
            _waits.Add(dueTime);
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new NeverTimer();
    }

    private sealed class NeverTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
