using System.Globalization;
using System.Net;
using WikiSync.Testing;
using WikiSync.AdminLog;
using WikiSync.IntegrationTests.Support;
using WikiSync.Sync;

namespace WikiSync.IntegrationTests.AdminLog;

/// <summary>
/// Issue 14 §2: the real planner and the shipped SAL jobs and templates against the real wiki, with entries
/// over 14 months: the full log links every archive month newest first, and each archive page links back.
/// </summary>
[Collection(SyncWikiCollection.Name)]
public sealed class SalArchivesTests(LocalWikiFixture wiki)
{
    [Fact]
    public async Task Entries_over_14_months_give_archive_pages_the_full_log_links_newest_first_each_linking_back()
    {
        var project = "salarch-" + Guid.NewGuid().ToString("N")[..6];
        var salWiki = new SalWiki(wiki.Env, [project]);
        await using var rig = new SalRig(salWiki.Runner, salWiki.IndexUrl, new FixedProjectCatalog(salWiki.Inventory));
        var now = DateTimeOffset.UtcNow;
        var thisMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        for (var back = 0; back < 14; back++)
        {
            var at = thisMonth.AddMonths(-back).AddHours(12);
            await rig.Entries.AddAsync(new NewLogEntry(Guid.NewGuid().ToString("N"), project, "alice",
                $"entry of {at:yyyy-MM}", "#ops", at > now ? now : at), CancellationToken.None);
        }

        var report = await rig.Runner.RunAsync(new SyncRequest(rig.Pages.Jobs, [project], DryRun: false), CancellationToken.None);

        report.AllFine.ShouldBeTrue(string.Join("; ", report.Pages.Select(p => p.ToString()).Concat(report.BrokenJobs.Select(j => j.Reason))));
        var log = $"Nova Resource:{project}/SAL";
        // The current and the previous month on the full log; the twelve months before on archive pages.
        var months = Enumerable.Range(2, 12).Select(b => thisMonth.AddMonths(-b).ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToList();
        var full = WebUtility.HtmlDecode(await salWiki.TextAsync(log));
        full.ShouldContain($"entry of {thisMonth.AddMonths(-1):yyyy-MM}");
        full.ShouldNotContain($"entry of {months[0]}");
        var links = months.Select(m => full.IndexOf($"[[:{log}/{m}|{m}]]", StringComparison.Ordinal)).ToList();
        links.ShouldAllBe(i => i >= 0, full);
        links.ShouldBe(links.Order().ToList(), "archive months newest first");
        foreach (var month in months)
        {
            var archive = WebUtility.HtmlDecode(await salWiki.TextAsync($"{log}/{month}"));
            archive.ShouldContain($"entry of {month}");
            archive.ShouldContain($"[[:{log}|{log}]]");
        }

        // Every entry landed on some page and is recorded as published, from the plan alone.
        (await rig.Entries.ListUnpublishedAsync(project, CancellationToken.None)).ShouldNotBeEmpty();
        await rig.Publisher.PublishProjectAsync(project, CancellationToken.None);
        (await rig.Entries.ListUnpublishedAsync(project, CancellationToken.None)).ShouldBeEmpty();
    }
}
