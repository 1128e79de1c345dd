using System.Collections.Concurrent;
using WikiSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace WikiSync.IntegrationTests.Sync;

/// <summary>
/// Issue 6: a sync reads the text only of pages that someone changed or whose render changed; the others
/// are known current from the wiki's recent changes (no edit on top of the verified revision, the page not
/// deleted or moved). Every request is counted by the proxy in front of the wiki.
/// </summary>
[Collection(LiveWikiCollection.Name)]
public sealed class VerifiedPagesOnRealWikiTests(LocalWikiFixture wiki, ITestOutputHelper output)
{
    /// <summary>The titles whose text the client asked for (prop=revisions with content), and the titles asked prop=info.</summary>
    private sealed class ReadCounter
    {
        public ConcurrentBag<string> ContentReads { get; } = [];

        public ConcurrentBag<string> InfoReads { get; } = [];

        public int RecentChangesReads => _recentChanges;

        private int _recentChanges;

        public void Watch(ProxyExchange exchange)
        {
            var p = exchange.Request.Parameters;
            if (p.GetValueOrDefault("list") == "recentchanges")
                Interlocked.Increment(ref _recentChanges);
            if (p.GetValueOrDefault("action") != "query" || p.GetValueOrDefault("titles") is not { } titles)
                return;
            var list = titles.TrimStart('\u001f').Split(titles.StartsWith('\u001f') ? '\u001f' : '|');
            var target = p.GetValueOrDefault("prop") switch
            {
                "revisions" when p.GetValueOrDefault("rvprop")?.Contains("content", StringComparison.Ordinal) == true => ContentReads,
                "info" => InfoReads,
                _ => null,
            };
            foreach (var title in list)
                target?.Add(title);
        }

        public void Clear()
        {
            ContentReads.Clear();
            InfoReads.Clear();
            _recentChanges = 0;
        }
    }

    [Fact]
    public async Task Unchanged_pages_are_neither_read_nor_asked_their_revision_when_recent_changes_show_nothing_on_them()
    {
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 3);
        var counter = new ReadCounter();
        bed.Proxy.Exchanged += counter.Watch;
        (await bed.SyncAsync()).ExitCode.ShouldBe(0);
        counter.Clear();
        bed.Proxy.ResetCounters();

        var run = await bed.SyncAsync();
        output.WriteLine(run.Output);

        run.ExitCode.ShouldBe(0, run.Output);
        run.PageLines("unchanged").Count.ShouldBe(3, run.Output);
        counter.RecentChangesReads.ShouldBe(1);
        counter.InfoReads.ShouldBeEmpty();
        counter.ContentReads.Intersect(bed.Titles).ShouldBeEmpty();
        bed.Proxy.RequestsByAction.GetValueOrDefault("edit").ShouldBe(0);
        output.WriteLine($"requests: {bed.Proxy.Requests}");
    }

    [Fact]
    public async Task Person_who_edits_inside_a_generated_section_between_two_syncs_gets_it_repaired_by_the_next()
    {
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 2);
        var counter = new ReadCounter();
        bed.Proxy.Exchanged += counter.Watch;
        (await bed.SyncAsync()).ExitCode.ShouldBe(0);
        (await bed.SyncAsync()).PageLines("unchanged").Count.ShouldBe(2);
        using var reader = new ApiSession(wiki.Api);
        var synced = (await reader.ReadAsync(bed.Titles[0])).Text;
        var begin = synced.IndexOf("<!-- wikisync:begin instances -->", StringComparison.Ordinal);
        var line = synced.IndexOf('\n', begin) + 1;
        var edited = synced[..line] + "| a row a person slipped in\n" + synced[line..];
        using (var editor = await wiki.EditorAsync())
            await editor.EditAsync(bed.Titles[0], edited, "a person edits inside the generated section");
        counter.Clear();

        var run = await bed.SyncAsync();
        output.WriteLine(run.Output);

        run.ExitCode.ShouldBe(0, run.Output);
        run.PageLines("updated").ShouldHaveSingleItem().ShouldContain(bed.Titles[0]);
        run.PageLines("unchanged").ShouldHaveSingleItem().ShouldContain(bed.Titles[1]);
        counter.ContentReads.ShouldContain(bed.Titles[0]);
        counter.ContentReads.ShouldNotContain(bed.Titles[1]);
        (await reader.ReadAsync(bed.Titles[0])).Text.ShouldBe(synced);
    }

    [Fact]
    public async Task Page_an_admin_deleted_between_two_syncs_is_read_and_made_again_while_the_others_are_not_read()
    {
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 2);
        var counter = new ReadCounter();
        bed.Proxy.Exchanged += counter.Watch;
        (await bed.SyncAsync()).ExitCode.ShouldBe(0);
        await wiki.Admin.InvokeAsync([new("action", "delete"), new("title", bed.Titles[0]), new("reason", "test")], write: true, CancellationToken.None);
        counter.Clear();

        var run = await bed.SyncAsync();
        output.WriteLine(run.Output);

        run.ExitCode.ShouldBe(0, run.Output);
        run.PageLines("created").ShouldHaveSingleItem().ShouldContain(bed.Titles[0]);
        run.PageLines("unchanged").ShouldHaveSingleItem().ShouldContain(bed.Titles[1]);
        counter.ContentReads.ShouldContain(bed.Titles[0]);
        counter.ContentReads.ShouldNotContain(bed.Titles[1]);
    }
}
