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

        await sweep.StartAsync(CancellationToken.None);
        // The sweeps at start and 30 s later find the row younger than 2 s + 30 s: its node's debouncer has it.
        await AdvanceAsync(TimeSpan.FromSeconds(31));
        Asked().ShouldBeEmpty();

        await AdvanceAsync(TimeSpan.FromSeconds(30));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Asked().Count == 0)
            await AdvanceAsync(TimeSpan.FromMilliseconds(1), limit.Token);

        Asked().ShouldBe([new RefreshTarget("bots", "instances")]);
        await sweep.StopAsync(CancellationToken.None);

        List<RefreshTarget> Asked()
        {
            lock (asked)
                return [.. asked];
        }
    }

    /// <summary>Moves the clock, then lets the sweep's store query (real I/O) finish before the next move.</summary>
    private async Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        _time.Advance(by);
        await Task.Delay(50, cancellationToken);
    }
}
