using WikiSync.AdminLog.Irc;
using WikiSync.AdminLog;
using WikiSync.IntegrationTests.Support;
using WikiSync.Model;
using WikiSync.Sources;
using WikiSync.Testing;

namespace WikiSync.IntegrationTests.AdminLog;

/// <summary>Issue 12 §6: the bot's read loop never waits on an inventory read (the real ngircd).</summary>
[Collection(IrcCollection.Name)]
public sealed class IrcSlowCatalogTests(IrcServerFixture irc) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private readonly SlowCatalog _catalog = new();
    private SalRig _rig = null!;

    public Task InitializeAsync()
    {
        _rig = new SalRig(store => new FakeSalRunner(store), catalog: _catalog);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _catalog.Release();
        await _rig.DisposeAsync();
    }

    [Fact]
    public async Task While_the_project_catalog_is_slow_the_bot_keeps_reading_the_server_and_stays_connected()
    {
        var ops = $"#ops-{_id}";
        var side = $"#side-{_id}";
        var botNick = $"slowbot{_id}";
        // Alice opens the side channel first, so she is its operator and may kick the bot from it.
        await using var alice = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"alice{_id}", side, ops);
        var options = new IrcBotOptions
        {
            Host = irc.Host, Port = irc.Port, Nick = botNick, Channels = [ops, side],
            // The bot's own keepalive: a read loop stuck on the catalog would not see the server's PONG and drop the link.
            // 1 s: at 400 ms a PONG late under the full run's load (the PostgreSQL pass) dropped a healthy link.
            Keepalive = TimeSpan.FromSeconds(1),
        };
        var bot = await _rig.StartBotAsync(options);
        var opsJoins = 0;
        var rejoined = new TaskCompletionSource();
        bot.Joined += (_, channel) =>
        {
            if (string.Equals(channel, ops, StringComparison.OrdinalIgnoreCase))
                Interlocked.Increment(ref opsJoins);
            else if (string.Equals(channel, side, StringComparison.OrdinalIgnoreCase))
                rejoined.TrySetResult();
        };

        await alice.SayAsync(ops, "!log tools restarted the grid engine");
        await _catalog.Entered.WaitAsync(Wait);
        // The handler now waits on the catalog; the read loop must still see and act on what the server sends.
        await alice.SendAsync($"KICK {side} {botNick} :testing");
        await rejoined.Task.WaitAsync(Wait);
        await alice.WaitForAsync(l => l.Command == "JOIN" && l.Prefix?.StartsWith(botNick + "!", StringComparison.Ordinal) == true
            && string.Equals(l[0], side, StringComparison.OrdinalIgnoreCase), Wait);
        // Beyond twice the keepalive, with the handler still waiting: a stuck loop would have dropped the link by now.
        (await alice.SeesWithinAsync(l => l.Command == "QUIT" && l.Prefix?.StartsWith(botNick + "!", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(2.5)))
            .ShouldBeFalse();

        _catalog.Release();
        (await alice.ReplyFromAsync(botNick, ops, Wait)).ShouldStartWith("Logged the message at ");
        opsJoins.ShouldBe(0);
        bot.JoinedChannels.ShouldContain(ops);
    }

    /// <summary>A catalog whose first answer waits until the test lets it go, as a slow LDAP or OpenStack would.</summary>
    private sealed class SlowCatalog : IProjectCatalog
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _release.TrySetResult();

        public async Task<Project?> FindAsync(string name, CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
            return SalRig.Inventory.Find(name);
        }

        public Task<IReadOnlyList<string>> NamesAsync(CancellationToken cancellationToken) =>
            Task.FromResult(InventoryProjectCatalog.Names(SalRig.Inventory));

        public Task<Project?> FindByIdAsync(string id, CancellationToken cancellationToken) =>
            Task.FromResult(InventoryProjectCatalog.FindById(SalRig.Inventory, id));
    }
}
