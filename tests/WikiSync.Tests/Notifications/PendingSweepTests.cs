using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WikiSync.Notifications;
using WikiSync.Sources.OpenStack;
using WikiSync.Storage;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Notifications;

public sealed class PendingSweepTests : IDisposable
{
    private readonly TempSalStore _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_refresh_left_pending_past_the_longest_delay_and_the_grace_is_run_again_a_fresh_one_is_left_to_its_node()
    {
        var pending = new PendingRefreshesStore(_db.Store);
        await pending.AddAsync("bots", "instances", _time.GetUtcNow(), CancellationToken.None);
        var asked = new List<RefreshTarget>();
        await using var debouncer = new RefreshDebouncer(TimeSpan.Zero, TimeSpan.Zero, _time, (target, _) =>
        {
            lock (asked)
                asked.Add(target);
            return Task.CompletedTask;
        });
        var timings = new PendingSweepTimings { Interval = TimeSpan.FromSeconds(30), Grace = TimeSpan.FromSeconds(30) };
        using var sweep = new PendingSweep(pending, debouncer, new NotificationsOptions { Url = "amqp://rabbit/", MaxDelayMs = 2000 }, timings, _time,
            NullLogger<PendingSweep>.Instance);

        // The sweeps at start and 30 s later find the row younger than 2 s + 30 s: its node's debouncer has it.
        await sweep.SweepAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(31));
        await sweep.SweepAsync(CancellationToken.None);
        Asked().ShouldBeEmpty();

        _time.Advance(TimeSpan.FromSeconds(30));
        await sweep.SweepAsync(CancellationToken.None);
        // The debouncer runs it on a timer of the fake clock and then on a task of its own.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Asked().Count == 0)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Delay(10, limit.Token);
        }

        Asked().ShouldBe([new RefreshTarget("bots", "instances")]);

        List<RefreshTarget> Asked()
        {
            lock (asked)
                return [.. asked];
        }
    }
}
