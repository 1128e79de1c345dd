using System.Diagnostics;
using WikiSync.AdminLog.Irc;
using WikiSync.IntegrationTests.Support;
using WikiSync.Testing;

namespace WikiSync.IntegrationTests.AdminLog;

/// <summary>
/// Issue 14 §5 against the real ngircd (scripts/local-irc.sh turns ngircd's own penalties off, so the whole
/// flood reaches the bot instead of being throttled by the server): one nick sends 5,000 `!log` lines within
/// a minute; another person's `!log` is still answered, stored and published in its usual time.
/// </summary>
[Collection(IrcCollection.Name)]
public sealed class IrcFloodTests(IrcServerFixture irc) : IAsyncLifetime
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private SalRig _rig = null!;

    private string Ops => $"#flood-{_id}";

    private string BotNick => $"floodbot{_id}";

    public Task InitializeAsync()
    {
        _rig = new SalRig(store => new FakeSalRunner(store));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Five_thousand_lines_from_one_nick_do_not_hold_back_another_persons_log()
    {
        _rig.StartPublisher();
        await _rig.StartBotAsync(new IrcBotOptions { Host = irc.Host, Port = irc.Port, Nick = BotNick, Channels = [Ops] });
        await using var flooder = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"flood{_id}", Ops);
        await using var alice = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"alice{_id}", Ops);
        await using var watcher = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"watch{_id}", Ops);

        var flood = Stopwatch.StartNew();
        for (var i = 0; i < 5000; i++)
            await flooder.SayAsync(Ops, $"!log tools flood line {i}");
        // One line over 512 bytes: discarded, not stored, not answered.
        await flooder.SayAsync(Ops, "!log tools " + new string('x', 600));
        flood.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(1));

        var asked = Stopwatch.StartNew();
        await alice.SayAsync(Ops, "!log tools restarted nginx during a flood");
        while (!(await _rig.AllEntriesAsync()).Any(e => e.Author == $"alice{_id}"))
        {
            asked.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "alice's entry is stored while the flood is refused");
            await Task.Delay(50);
        }

        var stored = asked.Elapsed;
        await _rig.WaitAllPublishedAsync(TimeSpan.FromSeconds(15));
        // Acknowledgements are paced (one a second) and never dropped, so alice's waits behind the ones of the
        // flooder's burst that were stored before hers.
        await watcher.WaitForAsync(
            l => l.Command == "PRIVMSG" && l.Prefix?.StartsWith(BotNick + "!", StringComparison.OrdinalIgnoreCase) == true && l[1].EndsWith($", alice{_id}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60));

        var entries = await _rig.AllEntriesAsync();
        entries.ShouldContain(e => e.Author == $"alice{_id}" && e.Message == "restarted nginx during a flood");
        var flooded = entries.Count(e => e.Author == $"flood{_id}");
        // The burst (30) plus what 30 a minute refills while the flood lasts; never the 5,000.
        flooded.ShouldBeInRange(1, 30 + 30 + 1);
        entries.ShouldNotContain(e => e.Message.StartsWith("xxxx", StringComparison.Ordinal));
        stored.ShouldBeLessThan(TimeSpan.FromSeconds(10));

        // The flooder was told once, not 4,995 times.
        bool Refusal(WikiSync.AdminLog.Irc.IrcLine l) => l.Command == "PRIVMSG" && l[1].Contains("too many !log lines", StringComparison.Ordinal);
        await watcher.WaitForAsync(Refusal, TimeSpan.FromSeconds(5));
        (await watcher.SeesWithinAsync(Refusal, TimeSpan.FromSeconds(2))).ShouldBeFalse();
    }
}
