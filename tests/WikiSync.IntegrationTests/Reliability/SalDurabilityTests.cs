using System.Text.RegularExpressions;
using WikiSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace WikiSync.IntegrationTests.Reliability;

/// <summary>
/// Issue 7's SAL durability: entries over IRC and the CLI while the wiki goes away and comes back and the
/// `wikisync run` process is killed with SIGKILL at random moments; every accepted entry is published,
/// none twice. Short here; scripts/soak.sh runs 1,000 entries and five kills.
/// </summary>
[Collection(LiveWikiCollection.Name)]
public sealed class SalDurabilityTests(LocalWikiFixture wiki, ITestOutputHelper output)
{
    private const string Channel = "#wikisync-durability";

    [Fact]
    public async Task Every_accepted_entry_is_published_exactly_once_through_kills_and_outages()
    {
        var (entries, kills) = SoakFigures.Full ? (1000, 5) : (40, 2);
        var irc = Environment.GetEnvironmentVariable("WIKISYNC_IRC_SERVER") is { Length: > 0 } s
            ? s : (await ServerScript.UpAsync("local-irc.sh"))["WIKISYNC_IRC_SERVER"];
        var (host, port) = (irc[..irc.LastIndexOf(':')], int.Parse(irc[(irc.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 2);
        var env = bed.Env;
        env["WIKISYNC_IRC_SERVER"] = irc;
        env["WIKISYNC_IRC_NICK"] = "ws-" + bed.Prefix;
        env["WIKISYNC_IRC_CHANNELS"] = Channel;
        env["WIKISYNC_HTTP_PORT"] = "0";
        (await WikiSyncProcess.RunAsync(["store", "migrate"], env)).ExitCode.ShouldBe(0);

        var random = new Random(11);
        var killAt = Enumerable.Range(0, kills).Select(_ => random.Next(entries)).ToHashSet();
        var accepted = new List<string>();
        var sent = 0;
        WikiSyncHost? bot = WikiSyncHost.Start(env, "run");
        await using var person = await IrcPerson.ConnectAsync(host, port, "p" + bed.Prefix, default);
        await person.JoinAsync(Channel);
        try
        {
            await person.WaitForNickAsync(Channel, env["WIKISYNC_IRC_NICK"], TimeSpan.FromSeconds(60));
            for (var i = 0; i < entries; i++, sent++)
            {
                var project = bed.Projects[i % 2].Name;
                var token = $"dur-{i}-{bed.Prefix}";
                if (i % 10 == 3)
                    bed.Proxy.Outage = !bed.Proxy.Outage;
                if (i % 2 == 0)
                {
                    var cli = await WikiSyncProcess.RunAsync(["log", project, $"{token} via the command line", "--author", "alice"], env, timeout: TimeSpan.FromMinutes(2));
                    SyncBed.Keep("sal-durability", cli.Output);
                    if (cli.ExitCode == 0)
                        accepted.Add(token);
                }
                else
                {
                    var before = person.Heard.Count;
                    await person.SayAsync(Channel, $"!log {project} {token} via IRC");
                    try
                    {
                        await person.WaitForAsync(l => l.Contains("Logged the message", StringComparison.Ordinal), TimeSpan.FromSeconds(10), skip: before);
                        accepted.Add(token);
                    }
                    catch (TimeoutException)
                    {
                        // No reply: the entry may or may not have been stored; it is checked for doubles only.
                    }
                }
                if (killAt.Contains(i))
                {
                    await bot.KillAsync();
                    SyncBed.Keep("sal-durability", bot.Output);
                    await bot.DisposeAsync();
                    bot = WikiSyncHost.Start(env, "run");
                    await person.WaitForNickAsync(Channel, env["WIKISYNC_IRC_NICK"], TimeSpan.FromSeconds(60));
                }
            }
            bed.Proxy.Outage = false;

            using var reader = new ApiSession(wiki.Api);
            var salPages = bed.Projects.Select(p => $"Nova Resource:{p.Name}/SAL").ToList();
            Dictionary<string, int> counts = [];
            var deadline = DateTime.UtcNow.AddSeconds(SoakFigures.Full ? 300 : 120);
            do
            {
                await Task.Delay(1000);
                var text = string.Concat((await reader.ReadAsync(salPages)).Values.Select(p => p.Text));
                counts = Regex.Matches(text, $@"dur-\d+-{bed.Prefix}").GroupBy(m => m.Value).ToDictionary(g => g.Key, g => g.Count());
            }
            while (accepted.Any(t => !counts.ContainsKey(t)) && DateTime.UtcNow < deadline);

            var missing = accepted.Where(t => !counts.ContainsKey(t)).ToList();
            var doubled = counts.Where(kv => kv.Value > 1).Select(kv => kv.Key).ToList();
            output.WriteLine($"sent {sent}, accepted {accepted.Count}, published {counts.Count}, doubled {doubled.Count}, missing {missing.Count}, kills {kills}");
            SoakFigures.Write("sal-durability", new Dictionary<string, long>
            {
                ["sal_sent"] = sent, ["sal_accepted"] = accepted.Count, ["sal_published"] = counts.Count, ["sal_doubled"] = doubled.Count, ["sal_missing"] = missing.Count,
            });
            // Both ways in must take entries: the command line's `log` and IRC's `!log` (a reply can be lost
            // only around a kill).
            accepted.Count.ShouldBeGreaterThanOrEqualTo(sent * 9 / 10, $"accepted {accepted.Count} of {sent}");
            missing.ShouldBeEmpty(bot.Output);
            doubled.ShouldBeEmpty();
        }
        finally
        {
            SyncBed.Keep("sal-durability", bot.Output);
            await bot.DisposeAsync();
        }
    }
}
