using System.Net;
using System.Net.Sockets;
using WikiSync.AdminLog;
using WikiSync.AdminLog.Irc;
using WikiSync.IntegrationTests.Support;
using WikiSync.Testing;

namespace WikiSync.IntegrationTests.AdminLog;

/// <summary>The SAL bot against the real ngircd: people type in a channel, the bot answers and stores.</summary>
[Collection(IrcCollection.Name)]
public sealed class IrcSalTests(IrcServerFixture irc) : IAsyncLifetime
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(15);
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private SalRig _rig = null!;
    private FakeSalRunner _runner = null!;

    private string Ops => $"#ops-{_id}";

    private string ToolsChannel => $"#tools-{_id}";

    private string MembersChannel => $"#members-{_id}";

    private string BotNick => $"salbot{_id}";

    public Task InitializeAsync()
    {
        _rig = new SalRig(store => _runner = new FakeSalRunner(store));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private IrcBotOptions Options(string? nick = null) => new()
    {
        Host = irc.Host,
        Port = irc.Port,
        Nick = nick ?? BotNick,
        Channels = [Ops, ToolsChannel, MembersChannel],
        Policies =
        [
            new ChannelPolicy(ToolsChannel, Project: "tools"),
            new ChannelPolicy(MembersChannel, Who: LogWho.Members, Deny: ["*!*@banned.example"]),
        ],
    };

    [Fact]
    public async Task One_client_logs_and_another_sees_the_reply_and_the_entry_is_published()
    {
        _rig.StartPublisher();
        await _rig.StartBotAsync(Options());
        await using var alice = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"alice{_id}", Ops);
        await using var watcher = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"watch{_id}", Ops);

        await alice.SayAsync(Ops, "!log tools restarted the grid engine");

        (await watcher.ReplyFromAsync(BotNick, Ops, Reply))
            .ShouldBe($"Logged the message at http://wiki.test/index.php?title=Nova_Resource:tools/SAL, alice{_id}");
        await _rig.WaitAllPublishedAsync(TimeSpan.FromSeconds(10));
        var entry = (await _rig.Entries.ListAsync("tools", null, CancellationToken.None)).ShouldHaveSingleItem();
        entry.ShouldSatisfyAllConditions(
            e => e.Author.ShouldBe($"alice{_id}"),
            e => e.Message.ShouldBe("restarted the grid engine"),
            e => e.Channel.ShouldBe(Ops),
            e => e.PublishedRevision.ShouldNotBeNull());
    }

    [Fact]
    public async Task Unknown_project_empty_message_help_and_refusal_are_answered_and_nothing_stored()
    {
        await _rig.StartBotAsync(Options());
        await using var mallory = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"mallory{_id}", Ops, ToolsChannel, MembersChannel);

        await mallory.SayAsync(Ops, "!log nosuchproject did a thing");
        (await mallory.ReplyFromAsync(BotNick, Ops, Reply)).ShouldBe("Unknown project \"nosuchproject\"");

        await mallory.SayAsync(Ops, "!log tools   ");
        (await mallory.ReplyFromAsync(BotNick, Ops, Reply)).ShouldBe("Message missing. Nothing logged.");

        await mallory.SayAsync(ToolsChannel, "!LOG help");
        var help = await mallory.ReplyFromAsync(BotNick, ToolsChannel, Reply);
        help.ShouldContain("!log <message>");
        help.ShouldContain("http://wiki.test/index.php?title=Nova_Resource:tools/SAL");

        await mallory.SayAsync(MembersChannel, "!log tools I am not a member");
        (await mallory.ReplyFromAsync(BotNick, MembersChannel, Reply)).ShouldContain("Nothing logged");

        await mallory.SayAsync(Ops, "just chatting, no command");
        (await mallory.SeesWithinAsync(l => l.Command == "PRIVMSG" && l.Prefix?.StartsWith(BotNick, StringComparison.Ordinal) == true, TimeSpan.FromSeconds(2)))
            .ShouldBeFalse();
        (await _rig.AllEntriesAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Members_channel_admits_a_member_and_bound_channel_needs_no_project()
    {
        await _rig.StartBotAsync(Options());
        // The nick maps to the user of the same name: "alice" is a member of tools.
        await using var member = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, "alice", MembersChannel, ToolsChannel);

        await member.SayAsync(MembersChannel, "!log tools rotated certificates");
        (await member.ReplyFromAsync(BotNick, MembersChannel, Reply)).ShouldStartWith("Logged the message at");
        await member.SayAsync(ToolsChannel, "!log cleared the cache");
        (await member.ReplyFromAsync(BotNick, ToolsChannel, Reply)).ShouldStartWith("Logged the message at");

        (await _rig.Entries.ListAsync("tools", null, CancellationToken.None)).Select(e => e.Message)
            .ShouldBe(["cleared the cache", "rotated certificates"]);
    }

    [Fact]
    public async Task Burst_of_100_from_several_clients_is_stored_once_in_order_and_published_in_few_edits()
    {
        _rig.StartPublisher();
        await _rig.StartBotAsync(Options());
        var clients = new List<IrcTestClient>();
        for (var c = 0; c < 4; c++)
        {
            clients.Add(await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"op{c}{_id}", Ops));
        }

        try
        {
            await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
            {
                for (var i = 0; i < 25; i++)
                {
                    await client.SayAsync(Ops, $"!log {(i % 2 == 0 ? "tools" : "deployment-prep")} burst {c}-{i:D2}");
                }
            })));

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while ((await _rig.AllEntriesAsync()).Count < 100)
            {
                await Task.Delay(100, wait.Token);
            }

            await _rig.WaitAllPublishedAsync(TimeSpan.FromSeconds(30));
            var entries = await _rig.AllEntriesAsync();
            entries.Count.ShouldBe(100);
            entries.Select(e => e.Message).Distinct().Count().ShouldBe(100);
            entries.ShouldAllBe(e => e.PublishedRevision != null);
            foreach (var c in Enumerable.Range(0, 4))
            {
                // Each sender's lines keep their order (ids grow as they are received).
                var mine = entries.Where(e => e.Author == $"op{c}{_id}").OrderBy(e => e.Id).Select(e => e.Message).ToList();
                mine.ShouldBe(mine.Order(StringComparer.Ordinal).ToList());
            }

            _runner.Edits.ShouldBeLessThan(50);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Nick_in_use_gets_an_underscore_and_the_bot_still_answers()
    {
        await using var squatter = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, BotNick, Ops);
        var bot = await _rig.StartBotAsync(Options());

        bot.CurrentNick.ShouldBe(BotNick + "_");
        await squatter.SayAsync(Ops, "!log tools hello");
        (await squatter.ReplyFromAsync(BotNick + "_", Ops, Reply)).ShouldStartWith("Logged the message at");
    }

    [Fact]
    public async Task Replies_are_paced_to_one_a_second()
    {
        await _rig.StartBotAsync(Options());
        await using var alice = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"pace{_id}", Ops);
        for (var i = 0; i < 4; i++)
        {
            await alice.SayAsync(Ops, $"!log tools paced {i}");
        }

        var times = new List<DateTimeOffset>();
        for (var i = 0; i < 4; i++)
        {
            await alice.ReplyFromAsync(BotNick, Ops, Reply);
            times.Add(DateTimeOffset.UtcNow);
        }

        (times[^1] - times[0]).ShouldBeGreaterThan(TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task Bot_reconnects_after_the_server_drops_it()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var rig = new SalRig(store => new FakeSalRunner(store));
        var bot = SalIrcBot.Create(
            new IrcBotOptions { Host = "127.0.0.1", Port = port, Nick = "bot", Channels = ["#c"], FirstReconnect = TimeSpan.FromMilliseconds(100) },
            rig.Intake, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<IrcBot>.Instance);
        using var stop = new CancellationTokenSource();
        var loop = bot.RunAsync(stop.Token);

        for (var round = 0; round < 2; round++)
        {
            using var client = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
            var stream = client.GetStream();
            var reader = new StreamReader(stream);
            var writer = new StreamWriter(stream) { NewLine = "\r\n", AutoFlush = true };
            (await reader.ReadLineAsync())!.ShouldBe("NICK bot");
            (await reader.ReadLineAsync())!.ShouldStartWith("USER ");
            await writer.WriteLineAsync(":srv 001 bot :welcome");
            (await reader.ReadLineAsync())!.ShouldBe("JOIN #c");
            await writer.WriteLineAsync(":srv PING :check");
            (await reader.ReadLineAsync())!.ShouldBe("PONG :check");
            // Dropping the connection here: the bot must come back by itself.
        }

        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => loop);
    }
}
