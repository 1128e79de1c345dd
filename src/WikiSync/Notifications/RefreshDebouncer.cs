namespace WikiSync.Notifications;

/// <summary>
/// Gathers the asks for one target into one run: a run starts <c>debounce</c> after the latest ask, but never
/// later than <c>maxDelay</c> after the first ask it answers, so twenty servers booted together make one pass
/// and a steady stream still shows. Runs of one target never overlap: an ask during a run gets a run after it
/// (the run reads the cloud, so it sees everything asked before it started).
/// </summary>
public sealed class RefreshDebouncer : IAsyncDisposable
{
    private readonly TimeSpan _debounce;
    private readonly TimeSpan _maxDelay;
    private readonly TimeProvider _time;
    private readonly Func<RefreshTarget, CancellationToken, Task> _run;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<RefreshTarget, Pending> _waiting = [];
    private readonly Dictionary<RefreshTarget, Task> _tails = [];
    private bool _stopped;

    public RefreshDebouncer(TimeSpan debounce, TimeSpan maxDelay, TimeProvider time, Func<RefreshTarget, CancellationToken, Task> run)
    {
        _debounce = debounce;
        _maxDelay = maxDelay < debounce ? debounce : maxDelay;
        _time = time;
        _run = run;
    }

    /// <summary>Asks for a run of <paramref name="target"/>; returns at once.</summary>
    public void Ask(RefreshTarget target)
    {
        lock (_lock)
        {
            if (_stopped)
                return;
            var now = _time.GetUtcNow();
            if (_waiting.TryGetValue(target, out var waiting))
            {
                var due = Min(now + _debounce, waiting.First + _maxDelay);
                waiting.Timer.Change(Max(due - now, TimeSpan.Zero), Timeout.InfiniteTimeSpan);
                return;
            }
            // Known as waiting before its timer starts: a clock may fire a timer due at once inside Change.
            var timer = _time.CreateTimer(_ => Fire(target), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _waiting[target] = new Pending(now, timer);
            timer.Change(_debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private void Fire(RefreshTarget target)
    {
        lock (_lock)
        {
            if (!_waiting.Remove(target, out var waiting))
                return;
            waiting.Timer.Dispose();
            var previous = _tails.GetValueOrDefault(target) ?? Task.CompletedTask;
            _tails[target] = RunAfterAsync(previous, target);
        }
    }

    private async Task RunAfterAsync(Task previous, RefreshTarget target)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_stopping.IsCancellationRequested)
            return;
        // The run records its own failures (it leaves the target pending for the sweep); nothing to add here.
        await _run(target, _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Drops what has not started (it stays pending in the store) and waits for the runs in progress.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] tails;
        lock (_lock)
        {
            _stopped = true;
            foreach (var waiting in _waiting.Values)
                waiting.Timer.Dispose();
            _waiting.Clear();
            tails = [.. _tails.Values];
        }
        await _stopping.CancelAsync();
        await Task.WhenAll(tails).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private sealed record Pending(DateTimeOffset First, ITimer Timer);
}
