using System.Net;
using WikiSync.AdminLog;
using WikiSync.AdminLog.Irc;
using WikiSync.IntegrationTests.Support;
using WikiSync.Testing;

namespace WikiSync.IntegrationTests.AdminLog;

/// <summary>
/// One entry the real wiki refuses ($wgSpamRegex of the local wiki matches WIKISYNC-SPAM-TEST: spamdetected)
/// never holds back the others (issue 14 §4), with the real SyncRunner, the shipped jobs and templates, and
/// the real ngircd. On SQLite, and on PostgreSQL when the run is (WIKISYNC_TEST_STORE=postgres).
/// </summary>
[Collection(SyncWikiCollection.Name)]
public sealed class SalRefusedTests(LocalWikiFixture wiki, IrcServerFixture irc) : IClassFixture<IrcServerFixture>
{
    private const string Spam = "WIKISYNC-SPAM-TEST";
    private static readonly TimeSpan Publish = TimeSpan.FromSeconds(60);
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];

    private string Project => $"salrefused-{_id}";

    private string LogPage => $"Nova Resource:{Project}/SAL";

    private (SalWiki Wiki, SalRig Rig) Rig()
    {
        var salWiki = new SalWiki(wiki.Env, [Project]);
        return (salWiki, new SalRig(salWiki.Runner, salWiki.IndexUrl, new FixedProjectCatalog(salWiki.Inventory)));
    }

    private static async Task WaitAsync(Func<Task<bool>> done)
    {
        using var deadline = new CancellationTokenSource(Publish);
        while (!await done())
            await Task.Delay(100, deadline.Token);
    }

    [Fact]
    public async Task A_spam_entry_among_normal_ones_is_kept_as_refused_with_the_wikis_reason_and_the_others_are_on_the_page_without_an_edit_loop()
    {
        var (salWiki, rig) = Rig();
        await using var _ = rig;
        var ct = CancellationToken.None;
        var messages = new[] { "restarted nginx", "rotated the logs", $"buy now {Spam} cheap", "upgraded the kernel", "cleared the cache" };
        var ids = new List<long>();
        foreach (var message in messages)
            ids.Add((await rig.Intake.SubmitAsync(new LogSubmission(Project, message, "alice", "cli"), ct)).Entry!.Id);

        (await rig.Publisher.PublishProjectAsync(Project, ct)).ShouldBeTrue();

        var text = WebUtility.HtmlDecode(await salWiki.TextAsync(LogPage));
        foreach (var message in messages.Where(m => !m.Contains(Spam, StringComparison.Ordinal)))
            text.ShouldContain(message);
        text.ShouldNotContain(Spam);
        var refused = (await rig.Entries.ListStatedAsync(Project, [SalEntryState.Refused], 10, ct)).ShouldHaveSingleItem();
        refused.Entry.Id.ShouldBe(ids[2]);
        refused.Reason.ShouldNotBeNull().ShouldStartWith("spamprotectionmatch: ");
        refused.Reason.ShouldNotContain(wiki.Env["WIKISYNC_WIKI_PASSWORD"]);
        (await rig.Entries.ListUnpublishedAsync(Project, ct)).ShouldBeEmpty();

        // No edit loop: nothing waits, so the sweep and further passes leave the wiki alone.
        var revisions = await salWiki.RevisionCountAsync(LogPage);
        await rig.Publisher.SweepAsync(ct);
        (await rig.Publisher.PublishProjectAsync(Project, ct)).ShouldBeTrue();
        (await salWiki.RevisionCountAsync(LogPage)).ShouldBe(revisions);
        (await rig.Entries.ProjectsWithUnpublishedAsync(ct)).ShouldNotContain(Project);
    }

    [Fact]
    public async Task The_author_of_a_refused_irc_entry_is_told_once_in_the_channel_and_the_other_entry_publishes()
    {
        var (salWiki, rig) = Rig();
        await using var _ = rig;
        rig.StartPublisher();
        var channel = $"#refused-{_id}";
        var botNick = $"refbot{_id}";
        await rig.StartBotAsync(new IrcBotOptions { Host = irc.Host, Port = irc.Port, Nick = botNick, Channels = [channel] });
        await using var alice = await IrcTestClient.ConnectAsync(irc.Host, irc.Port, $"alice{_id}", channel);

        await alice.SayAsync(channel, $"!log {Project} deployed {Spam} build");
        (await alice.ReplyFromAsync(botNick, channel)).ShouldStartWith("Logged the message");
        await alice.SayAsync(channel, $"!log {Project} restarted the workers");
        (await alice.ReplyFromAsync(botNick, channel)).ShouldStartWith("Logged the message");

        var notice = await alice.ReplyFromAsync(botNick, channel, Publish);
        notice.ShouldStartWith($"alice{_id}: the wiki refused SAL entry ");
        notice.ShouldContain("wikisync sal retry");
        notice.ShouldContain("spamprotectionmatch");
        await WaitAsync(async () => (await rig.Entries.ListUnpublishedAsync(Project, CancellationToken.None)).Count == 0);
        WebUtility.HtmlDecode(await salWiki.TextAsync(LogPage)).ShouldContain("restarted the workers");

        // Told once: the store says so, whoever looks again (another node, a restart).
        (await rig.Notices.TellAsync(rig.Bot!, CancellationToken.None)).ShouldBe(0);
        rig.Notices.Wake();
        (await alice.SeesWithinAsync(l => l.Command == "PRIVMSG" && l.Parameters.Count > 1 && l[1].Contains("the wiki refused", StringComparison.Ordinal), TimeSpan.FromSeconds(2))).ShouldBeFalse();
    }
}
