using WikiSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace WikiSync.IntegrationTests.Reliability;

/// <summary>
/// Issue 7's history invariant under load: a person edits the pages by hand (lines near and inside the
/// generated sections, sometimes deleting a marker) between WikiSync's syncs; afterwards every bot
/// revision in every page's history changed only text inside its markers. Short here (5 pages, 50 human
/// edits, 20 syncs); scripts/soak.sh runs 20 pages, 500 edits, 200 syncs.
/// </summary>
[Collection(LiveWikiCollection.Name)]
public sealed class HistorySoakTests(LocalWikiFixture wiki, ITestOutputHelper output)
{
    [Fact]
    public async Task Bot_revisions_change_only_generated_text_while_a_person_edits_the_pages()
    {
        var (pages, humanEdits, syncs) = SoakFigures.Full ? (20, 500, 200) : (5, 50, 20);
        var random = new Random(7);
        await using var bed = await SyncBed.CreateAsync(wiki, pages);
        (await bed.SyncAsync()).ExitCode.ShouldBe(0);
        using var editor = await wiki.EditorAsync();

        var edited = 0;
        var markersDeleted = 0;
        var exitCodes = new Dictionary<int, int>();
        for (var sync = 0; sync < syncs; sync++)
        {
            var quota = (humanEdits * (sync + 1) / syncs) - edited;
            for (var e = 0; e < quota; e++, edited++)
            {
                var title = bed.Titles[random.Next(pages)];
                var page = await editor.ReadAsync(title);
                var (text, deletedMarker) = HumanEdit(page.Text, random, edited);
                markersDeleted += deletedMarker ? 1 : 0;
                try
                {
                    await editor.EditAsync(title, text, $"hand edit {edited}", basetimestamp: page.Timestamp);
                }
                catch (ApiSessionException conflict) when (conflict.Code == "editconflict")
                {
                    // Only the bot writes besides us, and it runs between our edits: cannot happen, but is harmless.
                }
                catch (ApiSessionException limited) when (limited.Code == "ratelimited")
                {
                    // The person is an ordinary account, rate limited by the wiki at full soak size: wait, try again.
                    await Task.Delay(TimeSpan.FromSeconds(10));
                    e--;
                    edited--;
                }
            }
            if (random.Next(3) == 0)
                bed.AddInstance(random.Next(pages), 1000 + sync);
            var run = await bed.SyncAsync();
            SyncBed.Keep("history-soak", run.Output);
            exitCodes[run.ExitCode] = exitCodes.GetValueOrDefault(run.ExitCode) + 1;
            run.ExitCode.ShouldBeOneOf([0, 1], run.Output);
        }

        using var http = new HttpClient();
        var report = await new HistoryChecker(http, wiki.Api, wiki.BotUser).CheckAsync(bed.Titles);
        output.WriteLine($"{report.Pages} pages, {report.Revisions} revisions ({report.BotRevisions} by the bot, {report.OtherRevisions} by others), " +
                         $"{markersDeleted} hand edits deleted a marker, sync exit codes {string.Join(", ", exitCodes.Select(kv => $"{kv.Key}×{kv.Value}"))}");
        foreach (var violation in report.Violations)
            output.WriteLine(violation.ToString());
        SoakFigures.Write("history", new Dictionary<string, long>
        {
            ["history_revisions"] = report.Revisions, ["history_bot_revisions"] = report.BotRevisions,
            ["history_human_edits"] = edited, ["history_violations"] = report.Violations.Count,
        });
        report.Violations.ShouldBeEmpty();
        report.BotRevisions.ShouldBeGreaterThan(pages);
    }

    /// <summary>One person's edit: a line added above, below, between or inside the sections, or a marker deleted.</summary>
    private static (string Text, bool DeletedMarker) HumanEdit(string text, Random random, int n)
    {
        var line = $"Hand-written line {n} — ünïcödé, ''wiki'' text {{{{!}}}} <!-- a note -->";
        var scan = MarkerScan.Of(text);
        var choice = random.Next(10);
        if (choice == 0 && scan.Blocks.Count > 0)
        {
            // Delete one marker of a pair: the page is broken for WikiSync until someone repairs it.
            var block = scan.Blocks[random.Next(scan.Blocks.Count)];
            var end = text.IndexOf("-->", block.Start, StringComparison.Ordinal) + 3;
            return (text.Remove(block.Start, end - block.Start), true);
        }
        if (choice == 1 && scan.IsBroken)
        {
            // Someone repairs a broken page by taking out every marker left, keeping the text.
            return (System.Text.RegularExpressions.Regex.Replace(text, @"<!--\s*wikisync:(begin|end)\s+[a-z0-9-]+\s*-->", ""), false);
        }
        if (choice <= 3 && scan.Blocks.Count > 0)
        {
            // Inside a generated section: the next render may replace it.
            var block = scan.Blocks[random.Next(scan.Blocks.Count)];
            var inner = text.IndexOf("-->", block.Start, StringComparison.Ordinal) + 3;
            return (text.Insert(inner, "\n" + line), false);
        }
        if (choice <= 6 && scan.Blocks.Count > 0)
        {
            // Right next to a marker, outside the section.
            var block = scan.Blocks[random.Next(scan.Blocks.Count)];
            return random.Next(2) == 0 ? (text.Insert(block.Start, line + "\n"), false) : (text.Insert(block.End, "\n" + line), false);
        }
        return random.Next(2) == 0 ? (line + "\n" + text, false) : (text + "\n" + line, false);
    }
}
