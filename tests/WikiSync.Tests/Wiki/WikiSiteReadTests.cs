using WikiSync.Tests.Support;
using WikiSync.Wiki;

namespace WikiSync.Tests.Wiki;

public sealed class WikiSiteReadTests
{
    [Fact]
    public async Task Reads_ask_50_titles_a_request_without_apihighlimits()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsQueryOf("revisions"), r => FakeWikiHandler.Pages(r));
        using var site = TestSites.Create(wiki);
        var titles = Enumerable.Range(1, 120).Select(i => $"Page {i}").ToArray();

        var pages = await site.ReadPagesAsync(titles, CancellationToken.None);

        pages.Count.ShouldBe(120);
        wiki.Reads.Select(r => r["titles"]!.Split('|').Length).ShouldBe([50, 50, 20]);
        var read = wiki.Reads.First();
        read["rvprop"].ShouldBe("content|timestamp|ids");
        read["rvslots"].ShouldBe("main");
        read["curtimestamp"].ShouldBe("1");
        read["formatversion"].ShouldBe("2");
    }

    [Fact]
    public async Task Reads_ask_500_titles_a_request_with_apihighlimits()
    {
        var wiki = new FakeWikiHandler();
        wiki.Rights.Add("apihighlimits");
        wiki.On(r => r.IsQueryOf("revisions"), r => FakeWikiHandler.Pages(r));
        using var site = TestSites.Create(wiki);

        var pages = await site.ReadPagesAsync([.. Enumerable.Range(1, 600).Select(i => $"Page {i}")], CancellationToken.None);

        pages.Count.ShouldBe(600);
        wiki.Reads.Select(r => r["titles"]!.Split('|').Length).ShouldBe([500, 100]);
    }

    [Fact]
    public async Task Latest_revisions_ask_two_batches_at_a_time_and_merge_every_answer()
    {
        var wiki = new FakeWikiHandler();
        var inFlight = 0;
        var most = 0;
        // The first two batches are held until both are in flight: the overlap is made, not hoped for.
        var twoInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        wiki.OnAsync(r => r.IsQueryOf("info"), async (r, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            lock (wiki)
                most = Math.Max(most, now);
            if (now >= 2)
                twoInFlight.TrySetResult();
            await twoInFlight.Task.WaitAsync(ct);
            Interlocked.Decrement(ref inFlight);
            var pages = r["titles"]!.Split('|').Select(t => t == "Page 7"
                ? (object)new { ns = 0, title = t, missing = true }
                : new { ns = 0, title = t, lastrevid = 1000 + int.Parse(t[5..], System.Globalization.CultureInfo.InvariantCulture) }).ToArray();
            return FakeWikiHandler.Json(new { batchcomplete = true, query = new { pages } });
        });
        using var site = TestSites.Create(wiki);
        var titles = Enumerable.Range(1, 170).Select(i => $"Page {i}").ToArray();

        var latest = await site.ReadLastRevisionsAsync(titles, CancellationToken.None);

        latest.Count.ShouldBe(170);
        latest["Page 7"].ShouldBe(0);
        latest["Page 170"].ShouldBe(1170);
        wiki.Requests.Where(r => r.IsQueryOf("info")).Select(r => r["titles"]!.Split('|').Length).ShouldBe([50, 50, 50, 20], ignoreOrder: true);
        most.ShouldBe(2);
    }

    [Fact]
    public async Task Normalized_and_missing_titles_map_back_to_the_titles_as_asked()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(
            r => r.IsQueryOf("revisions"),
            r => FakeWikiHandler.Pages(r,
                textOf: t => t == "Nova Resource:Gone" ? null : $"text of {t}",
                normalize: t => t.Replace('_', ' ')));
        using var site = TestSites.Create(wiki);

        var pages = await site.ReadPagesAsync(["Nova_Resource:Bots", "Nova Resource:Bots", "Nova_Resource:Gone"], CancellationToken.None);

        pages.Keys.ShouldBe(["Nova_Resource:Bots", "Nova Resource:Bots", "Nova_Resource:Gone"], ignoreOrder: true);
        var bots = pages["Nova_Resource:Bots"];
        bots.Exists.ShouldBeTrue();
        bots.Title.ShouldBe("Nova Resource:Bots");
        bots.Text.ShouldBe("text of Nova Resource:Bots");
        bots.RevisionId.ShouldBe(7);
        bots.Timestamp.ShouldBe("2024-05-01T09:00:00Z");
        bots.CurTimestamp.ShouldBe("2024-05-01T09:30:00Z");
        var gone = pages["Nova_Resource:Gone"];
        gone.Exists.ShouldBeFalse();
        gone.Title.ShouldBe("Nova Resource:Gone");
        gone.CurTimestamp.ShouldBe("2024-05-01T09:30:00Z");
    }

    [Fact]
    public async Task Invalid_titles_are_named_in_the_error_and_the_valid_pages_kept()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsQueryOf("revisions"), _ => FakeWikiHandler.Json("""
            {"batchcomplete":true,"curtimestamp":"2024-05-01T09:30:00Z","query":{"pages":[
              {"title":"Foo[bar]","invalidreason":"The requested page title contains invalid characters: \"[\".","invalid":true},
              {"ns":-1,"title":"Special:Version","special":true},
              {"pageid":2,"ns":0,"title":"Good","revisions":[{"revid":2,"parentid":0,"timestamp":"2024-05-01T09:00:00Z","slots":{"main":{"content":"hello"}}}]}]}}
            """));
        using var site = TestSites.Create(wiki);

        var error = await Should.ThrowAsync<WikiApiException>(() => site.ReadPagesAsync(["Foo[bar]", "Special:Version", "Good"], CancellationToken.None));

        error.Kind.ShouldBe(WikiErrorKind.InvalidTitle);

        error.Message.ShouldContain("\"Foo[bar]\"");
        error.Message.ShouldContain("invalid characters");
        error.Message.ShouldContain("\"Special:Version\"");
        error.InvalidTitles.Keys.ShouldBe(["Foo[bar]", "Special:Version"], ignoreOrder: true);
        error.ValidPages["Good"].Text.ShouldBe("hello");
    }

    [Fact]
    public async Task A_title_with_a_pipe_is_sent_whole_with_the_unit_separator()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsQueryOf("revisions"), _ => FakeWikiHandler.Json("""
            {"curtimestamp":"2024-05-01T09:30:00Z","query":{"pages":[
              {"title":"A|B","invalidreason":"The requested page title contains invalid characters: \"|\".","invalid":true},
              {"ns":0,"title":"C","missing":true}]}}
            """));
        using var site = TestSites.Create(wiki);

        var error = await Should.ThrowAsync<WikiApiException>(() => site.ReadPagesAsync(["A|B", "C"], CancellationToken.None));

        error.Kind.ShouldBe(WikiErrorKind.InvalidTitle);

        wiki.Reads.Single()["titles"].ShouldBe("\u001fA|B\u001fC");
        error.InvalidTitles.Keys.ShouldBe(["A|B"]);
    }

    [Fact]
    public async Task Continued_answers_are_merged_before_pages_are_returned()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsQueryOf("revisions") && r["rvcontinue"] is null, _ => FakeWikiHandler.Json("""
            {"continue":{"rvcontinue":"2|5","continue":"||"},"curtimestamp":"2024-05-01T09:30:00Z","query":{"pages":[
              {"pageid":1,"ns":0,"title":"Big","revisions":[{"revid":4,"timestamp":"2024-05-01T08:00:00Z","slots":{"main":{"content":"big"}}}]},
              {"pageid":2,"ns":0,"title":"Later"}]}}
            """));
        wiki.On(r => r.IsQueryOf("revisions") && r["rvcontinue"] == "2|5", _ => FakeWikiHandler.Json("""
            {"batchcomplete":true,"curtimestamp":"2024-05-01T09:30:01Z","query":{"pages":[
              {"pageid":1,"ns":0,"title":"Big"},
              {"pageid":2,"ns":0,"title":"Later","revisions":[{"revid":5,"timestamp":"2024-05-01T08:30:00Z","slots":{"main":{"content":"later"}}}]}]}}
            """));
        using var site = TestSites.Create(wiki);

        var pages = await site.ReadPagesAsync(["Big", "Later"], CancellationToken.None);

        pages["Big"].Text.ShouldBe("big");
        pages["Later"].Text.ShouldBe("later");
        pages["Later"].CurTimestamp.ShouldBe("2024-05-01T09:30:00Z");
        wiki.Reads.Last()["continue"].ShouldBe("||");
    }

    [Fact]
    public async Task An_answer_that_leaves_out_an_asked_title_is_an_error_not_a_missing_page()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.IsQueryOf("revisions"), _ => FakeWikiHandler.Json("""{"curtimestamp":"2024-05-01T09:30:00Z","query":{"pages":[{"ns":0,"title":"A","missing":true}]}}"""));
        using var site = TestSites.Create(wiki, maxRetries: 0);

        var error = await Should.ThrowAsync<WikiApiException>(() => site.ReadPagesAsync(["A", "B"], CancellationToken.None));

        error.Message.ShouldContain("\"B\"");
    }

    [Fact]
    public async Task Parse_returns_headings_templates_categories_and_links()
    {
        var wiki = new FakeWikiHandler();
        wiki.On(r => r.Action == "parse", _ => FakeWikiHandler.Json("""
            {"parse":{"title":"P","pageid":3,"revid":9,"text":"<div>x</div>","categories":[{"sortkey":"","category":"X","missing":true}],
             "links":[{"ns":0,"title":"Bar","exists":false}],"templates":[{"ns":10,"title":"Template:Foo","exists":false}],
             "externallinks":["http://x.org"],"sections":[{"toclevel":1,"level":"2","line":"H","number":"1","index":"1","anchor":"H"}]}}
            """));
        using var site = TestSites.Create(wiki);

        var parsed = await site.ParseAsync("P", CancellationToken.None);

        parsed.RevisionId.ShouldBe(9);
        parsed.Html.ShouldBe("<div>x</div>");
        parsed.Sections.ShouldBe([new ParsedSection(2, "H", "H", "1")]);
        parsed.Templates.ShouldBe(["Template:Foo"]);
        parsed.Categories.ShouldBe(["X"]);
        parsed.Links.ShouldBe(["Bar"]);
        parsed.ExternalLinks.ShouldBe(["http://x.org"]);
        wiki.Requests.Last()["page"].ShouldBe("P");
    }
}
