using Microsoft.Extensions.Time.Testing;
using WikiSync.Notifications;

namespace WikiSync.Tests.Notifications;

public sealed class RefreshDebouncerTests
{
    private static readonly RefreshTarget Bots = new("bots", "instances");
    private static readonly RefreshTarget Tools = new("tools", "instances");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly List<(RefreshTarget Target, DateTimeOffset At)> _runs = [];

    private RefreshDebouncer Debouncer(Func<RefreshTarget, Task>? run = null) =>
        new(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(2000), _time, async (target, _) =>
        {
            lock (_runs)
                _runs.Add((target, _time.GetUtcNow()));
            if (run is not null)
                await run(target);
        });

    [Fact]
    public async Task Twenty_asks_together_make_one_run_after_the_quiet_time()
    {
        await using var debouncer = Debouncer();
        for (var i = 0; i < 20; i++)
        {
            debouncer.Ask(Bots);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        _time.Advance(TimeSpan.FromMilliseconds(289));
        _runs.ShouldBeEmpty();
        _time.Advance(TimeSpan.FromMilliseconds(1));

        _runs.ShouldHaveSingleItem().Target.ShouldBe(Bots);
        _time.Advance(TimeSpan.FromSeconds(10));
        _runs.Count.ShouldBe(1);
    }

    [Fact]
    public async Task With_no_debounce_an_ask_runs_at_once_on_a_clock_that_fires_due_timers_as_they_start()
    {
        await using var debouncer = new RefreshDebouncer(TimeSpan.Zero, TimeSpan.Zero, _time, (target, _) =>
        {
            lock (_runs)
                _runs.Add((target, _time.GetUtcNow()));
            return Task.CompletedTask;
        });

        debouncer.Ask(Bots);

        await WaitUntilAsync(() => { lock (_runs) return _runs.Count == 1; });
        _runs.Single().At.ShouldBe(_time.GetUtcNow());
    }

    [Fact]
    public async Task A_steady_stream_still_runs_once_the_longest_delay_after_its_first_ask()
    {
        await using var debouncer = Debouncer();
        var start = _time.GetUtcNow();
        for (var i = 0; i < 15; i++)
        {
            debouncer.Ask(Bots);
            _time.Advance(TimeSpan.FromMilliseconds(200));
        }

        _runs.ShouldNotBeEmpty();
        _runs[0].At.ShouldBe(start + TimeSpan.FromMilliseconds(2000));
    }

    [Fact]
    public async Task Each_project_has_its_own_run()
    {
        await using var debouncer = Debouncer();
        debouncer.Ask(Bots);
        debouncer.Ask(Tools);
        debouncer.Ask(Bots);

        _time.Advance(TimeSpan.FromMilliseconds(300));

        _runs.Select(r => r.Target).OrderBy(t => t.Project, StringComparer.Ordinal).ShouldBe([Bots, Tools]);
    }

    [Fact]
    public async Task An_ask_during_a_run_gets_a_run_after_it_never_beside_it()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var overlapped = false;
        await using var debouncer = Debouncer(async _ =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            await release.Task;
            Interlocked.Decrement(ref running);
        });
        debouncer.Ask(Bots);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        _runs.Count.ShouldBe(1);

        debouncer.Ask(Bots);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        _runs.Count.ShouldBe(1);
        release.SetResult();

        await WaitUntilAsync(() => _runs.Count == 2);
        overlapped.ShouldBeFalse();
    }

    [Fact]
    public async Task A_failing_run_does_not_stop_the_next_one()
    {
        await using var debouncer = Debouncer(_ => throw new InvalidOperationException("the wiki is down"));
        debouncer.Ask(Bots);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        debouncer.Ask(Bots);
        _time.Advance(TimeSpan.FromMilliseconds(300));

        await WaitUntilAsync(() => _runs.Count == 2);
    }

    [Fact]
    public async Task Asks_not_yet_started_are_dropped_at_shutdown()
    {
        var debouncer = Debouncer();
        debouncer.Ask(Bots);

        await debouncer.DisposeAsync();
        _time.Advance(TimeSpan.FromSeconds(5));

        _runs.ShouldBeEmpty();
    }

    /// <summary>A run after another is a continuation on the thread pool: wait for it, bounded.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
            await Task.Delay(5, limit.Token);
    }
}
