using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using WikiSync.AdminLog;
using WikiSync.AdminLog.Irc;
using WikiSync.IntegrationTests.Support;
using WikiSync.Model;
using WikiSync.Storage;
using WikiSync.Sync;
using WikiSync.Testing;

namespace WikiSync.IntegrationTests.AdminLog;

/// <summary>
/// The Server Admin Log end to end: real ngircd, real SyncRunner with the shipped jobs and templates, real
/// local wiki. In the wiki's collection, so stopping the wiki here never surprises another test.
/// </summary>
[Collection(SyncWikiCollection.Name)]
public sealed partial class SalWikiTests(LocalWikiFixture wiki, IrcServerFixture irc, PostgresFixture postgres)
    : IClassFixture<IrcServerFixture>, IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Publish = TimeSpan.FromSeconds(60);
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];

    private string Project => $"saltest-{_id}";

    private string LogPage => $"Nova Resource:{Project}/SAL";

    [GeneratedRegex("<span id=\"(sal-\\d+)\"></span>")]
    private static partial Regex AnchorPattern();

    private static IReadOnlyList<string> Anchors(string text) => [.. AnchorPattern().Matches(text).Select(m => m.Groups[1].Value)];

    private (SalWiki Wiki, SalRig Rig) Rig(Func<ISyncRunner, ISyncRunner>? wrap = null, Uri? apiUrl = null, IStore? store = null)
    {
        var salWiki = new SalWiki(wiki.Env, [Project], apiUrl);
        var rig = new SalRig(entries => wrap is null ? salWiki.Runner(entries) : wrap(salWiki.Runner(entries)), salWiki.IndexUrl,
            new FixedProjectCatalog(salWiki.Inventory), store: store);
        return (salWiki, rig);
    }

    /// <summary>SQLite (the default) or a fresh PostgreSQL database: the SAL must behave the same on both.</summary>
    private async Task<IStore?> StoreAsync(string kind) =>
        kind == "postgres" ? new PostgresStore(await postgres.NewDatabaseAsync()) : null;

    [Fact]
    public async Task Entry_logged_on_irc_is_on_the_wiki_under_its_day_newest_first_and_the_other_client_sees_the_reply()
    {
        var (salWiki, rig) = Rig();
        await using var _ = rig;
        rig.StartPublisher();
        var channel = $"#sal-{_id}";
        await rig.StartBotAsync(new IrcBotOptions { Host = irc.Host, Port = irc.Port, Nick = $"salbot{_id}", Channels = [channel] });
        await using var alice = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"alice{_id}", channel);
        await using var bob = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"bob{_id}", channel);

        await alice.SayAsync(channel, $"!log {Project} first: restarted nginx");
        (await bob.ReplyFromAsync($"salbot{_id}", channel)).ShouldBe($"Logged the message at {salWiki.IndexUrl}?title=Nova_Resource:{Project}/SAL, alice{_id}");
        await alice.SayAsync(channel, $"!log {Project} second: cleared cache");
        await bob.ReplyFromAsync($"salbot{_id}", channel);
        await rig.WaitAllPublishedAsync(Publish);

        var wikitext = await salWiki.TextAsync(LogPage);
        // The message's punctuation is entity-escaped in the wikitext; what a reader sees is the decoded text.
        var text = WebUtility.HtmlDecode(wikitext);
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        text.ShouldContain($"=== {today} ===");
        text.IndexOf("second: cleared cache", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("first: restarted nginx", StringComparison.Ordinal));
        text.IndexOf($"=== {today} ===", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("second: cleared cache", StringComparison.Ordinal));
        text.ShouldMatch($@"\* <span id=""sal-\d+""></span>\d\d:\d\d alice{_id}: second: cleared cache");
        Anchors(wikitext).Count.ShouldBe(2);
        // The project page's recent section follows the log page in a pass of its own: wait for it, not for luck.
        using var recent = new CancellationTokenSource(Publish);
        while (!WebUtility.HtmlDecode(await salWiki.TextAsync($"Nova Resource:{Project}")).Contains("second: cleared cache", StringComparison.Ordinal))
            await Task.Delay(100, recent.Token);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Burst_of_100_entries_is_published_each_once_in_far_fewer_edits(string store)
    {
        var (salWiki, rig) = Rig(store: await StoreAsync(store));
        await using var _ = rig;
        rig.StartPublisher();
        var channel = $"#salburst-{_id}";
        await rig.StartBotAsync(new IrcBotOptions { Host = irc.Host, Port = irc.Port, Nick = $"burstbot{_id}", Channels = [channel] });
        var clients = new List<IrcTestClient>();
        for (var c = 0; c < 4; c++)
        {
            clients.Add(await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"b{c}{_id}", channel));
        }

        await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await client.SayAsync(channel, $"!log {Project} burst {c}-{i:D2}");
            }
        })));
        using (var wait = new CancellationTokenSource(Publish))
        {
            while ((await rig.Entries.ListAsync(Project, null, CancellationToken.None)).Count < 100)
            {
                await Task.Delay(100, wait.Token);
            }
        }

        await rig.WaitAllPublishedAsync(Publish);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        var text = await salWiki.TextAsync(LogPage);
        var anchors = Anchors(text);
        anchors.Count.ShouldBe(100);
        anchors.Distinct().Count().ShouldBe(100);
        (await salWiki.RevisionCountAsync(LogPage)).ShouldBeLessThan(25);
    }

    [Fact]
    public async Task Wiki_unreachable_entries_wait_while_irc_answers_and_are_published_once_when_it_is_back()
    {
        // The wiki is shut off from this publisher only (a gate in front of it): stopping the shared local
        // wiki would fail the other collections' tests running at the same time.
        var api = new Uri(wiki.Env["WIKISYNC_WIKI_API"]);
        await using var gate = new TcpGate(api.Port);
        var (salWiki, rig) = Rig(apiUrl: new UriBuilder(api) { Port = gate.Port }.Uri);
        await using var _ = rig;
        var channel = $"#saldown-{_id}";
        await rig.StartBotAsync(new IrcBotOptions { Host = irc.Host, Port = irc.Port, Nick = $"downbot{_id}", Channels = [channel] });
        await using var alice = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"alice{_id}", channel);
        gate.Down = true;
        rig.StartPublisher();
        for (var i = 0; i < 5; i++)
        {
            await alice.SayAsync(channel, $"!log {Project} while the wiki is down {i}");
            (await alice.ReplyFromAsync($"downbot{_id}", channel)).ShouldStartWith("Logged the message at");
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        (await rig.Entries.ListUnpublishedAsync(Project, CancellationToken.None)).Count.ShouldBe(5);

        gate.Down = false;
        await rig.WaitAllPublishedAsync(Publish);
        var published = await salWiki.TextAsync(LogPage);
        var anchors = Anchors(published);
        // Seen once under load (0 anchors after every entry was recorded published): say what the page and the store held.
        var entries = await rig.Entries.ListAsync(Project, null, CancellationToken.None);
        anchors.Count.ShouldBe(5, $"page:\n{published}\nstore: {string.Join(", ", entries.Select(e => $"{e.Id}@r{e.PublishedRevision}"))}");
        anchors.Distinct().Count().ShouldBe(5);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Killed_between_edit_and_record_a_new_publisher_publishes_nothing_twice(string store)
    {
        var crash = true;
        var (salWiki, rig) = Rig(inner => new CrashAfterSave(inner, () => crash), store: await StoreAsync(store));
        await using var _ = rig;
        for (var i = 0; i < 3; i++)
        {
            await rig.Intake.SubmitAsync(new LogSubmission(Project, $"before the crash {i}", "alice", "cli"), CancellationToken.None);
        }

        (await rig.Publisher.PublishProjectAsync(Project, CancellationToken.None)).ShouldBeFalse();
        var revisions = await salWiki.RevisionCountAsync(LogPage);
        (await rig.Entries.ListUnpublishedAsync(Project, CancellationToken.None)).Count.ShouldBe(3);

        // The "restarted process": a new publisher over the same store sweeps at start.
        crash = false;
        var restarted = new SalPublisher(rig.Runner, rig.Entries, rig.Pages, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SalPublisher>.Instance);
        (await restarted.PublishProjectAsync(Project, CancellationToken.None)).ShouldBeTrue();

        (await salWiki.RevisionCountAsync(LogPage)).ShouldBe(revisions);
        Anchors(await salWiki.TextAsync(LogPage)).Count.ShouldBe(3);
        (await rig.Entries.ListAsync(Project, null, CancellationToken.None)).ShouldAllBe(e => e.PublishedRevision > 0);
    }

    private static readonly string[] Hostile =
    [
        "<!-- wikisync:end sal --> then <!-- wikisync:begin sal -->",
        "</nowiki> '''bold''' <nowiki>",
        "{{template|x=1}} and {{{param}}}",
        "[[Category:X]] [[Main Page]] [[File:X.png]]",
        "== heading ==",
        "~~~~ ~~~ ~~~~~",
        "__NOTOC__ __FORCETOC__",
        "<b>html</b> <script>alert(1)</script> <span id=\"sal-1\"></span>",
        "|} {| class=wikitable",
        "control \u0001\u0007\u001b[31m chars",
        "right-to-left \u202Eevil\u202C text \u05E9\u05DC\u05D5\u05DD",
        "* list\n== newline heading ==",
        // The longest message the intake takes (LogEntryBounds).
        new string('x', 1000),
    ];

    [Fact]
    public async Task Hostile_messages_leave_the_page_structure_unchanged_and_show_as_text()
    {
        var (salWiki, rig) = Rig();
        await using var _ = rig;
        foreach (var message in Hostile)
        {
            (await rig.Intake.SubmitAsync(new LogSubmission(Project, message, "mallory", "cli"), CancellationToken.None)).Outcome.ShouldBe(LogOutcome.Logged);
        }

        (await rig.Publisher.PublishProjectAsync(Project, CancellationToken.None)).ShouldBeTrue();

        var parsed = await salWiki.Site.ParseAsync(LogPage, CancellationToken.None);
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        parsed.Sections.Select(s => s.Line).ShouldBe([today]);
        parsed.Templates.ShouldBeEmpty();
        parsed.Categories.ShouldBeEmpty();
        parsed.Links.ShouldBeEmpty();
        var text = WebUtility.HtmlDecode(Regex.Replace(parsed.Html, "<[^>]*>", ""));
        foreach (var message in Hostile)
        {
            var visible = new string([.. message.Replace("\n", " ", StringComparison.Ordinal).Where(c => !char.IsControl(c))]);
            text.ShouldContain(visible.Length > 200 ? visible[..200] : visible, Case.Sensitive, $"message not shown literally: {visible[..Math.Min(60, visible.Length)]}");
        }

        var wikitext = await salWiki.TextAsync(LogPage);
        Anchors(wikitext).Distinct().Count().ShouldBe(Hostile.Length);
        Regex.Matches(wikitext, "<!-- wikisync:(begin|end) sal -->").Count.ShouldBe(2);
    }

    /// <summary>Saves through the real runner, then dies before the caller can record anything.</summary>
    private sealed class CrashAfterSave(ISyncRunner inner, Func<bool> crash) : ISyncRunner
    {
        public async Task<SyncReport> RunAsync(SyncRequest request, CancellationToken cancellationToken)
        {
            var report = await inner.RunAsync(request, cancellationToken);
            return crash() ? throw new InvalidOperationException("process killed after the edit") : report;
        }
    }
}
