using WikiSync.Jobs;
using WikiSync.Model;
using WikiSync.Sync;
using WikiSync.Testing;
using WikiSync.Tests.Support;
using static WikiSync.Tests.Support.Builders;

namespace WikiSync.Tests.Sync;

public sealed class SyncRunnerSalTests
{
    private sealed class Entries(params LogEntry[] entries) : ILogEntryReader
    {
        public int Reads { get; private set; }

        public int BulkReads { get; private set; }

        public bool BulkFails { get; init; }

        public async Task<IReadOnlyDictionary<string, IReadOnlyList<LogEntry>>> ListManyAsync(IReadOnlyCollection<string> projects, DateTimeOffset? since, CancellationToken cancellationToken)
        {
            BulkReads++;
            if (BulkFails)
                throw new InvalidOperationException("store gone");
            var lists = new Dictionary<string, IReadOnlyList<LogEntry>>(StringComparer.Ordinal);
            foreach (var project in projects)
                lists[project] = await ListAsync(project, since, cancellationToken);
            Reads -= projects.Count;
            return lists;
        }

        public Task<IReadOnlyList<LogEntry>> ListAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult<IReadOnlyList<LogEntry>>(entries.Where(e => e.Project == project && (since is null || e.ReceivedUtc >= since)).OrderByDescending(e => e.ReceivedUtc).ToList());
        }

        /// <summary>Reads of one archive month (a window of its own, never the whole history).</summary>
        public int MonthReads { get; private set; }

        public Task<IReadOnlyList<LogEntry>> ListBetweenAsync(string project, DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken)
        {
            MonthReads++;
            return Task.FromResult<IReadOnlyList<LogEntry>>(entries.Where(e => e.Project == project && e.ReceivedUtc >= from && e.ReceivedUtc < before).OrderByDescending(e => e.ReceivedUtc).ToList());
        }

        /// <summary>Archive months asked of one project, and of many at once.</summary>
        public int MonthListings { get; private set; }

        public int BulkMonthListings { get; private set; }

        public Task<IReadOnlyList<string>> MonthsBeforeAsync(string project, DateTimeOffset before, CancellationToken cancellationToken)
        {
            MonthListings++;
            return Task.FromResult<IReadOnlyList<string>>(entries.Where(e => e.Project == project && e.ReceivedUtc < before)
                .Select(e => e.ReceivedUtc.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)).Distinct().OrderDescending(StringComparer.Ordinal).ToList());
        }

        public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> MonthsBeforeManyAsync(IReadOnlyCollection<string> projects, DateTimeOffset before,
            CancellationToken cancellationToken)
        {
            BulkMonthListings++;
            if (BulkFails)
                throw new InvalidOperationException("store gone");
            var months = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var project in projects)
                months[project] = await MonthsBeforeAsync(project, before, cancellationToken);
            MonthListings -= projects.Count;
            return months;
        }

        public Task<IReadOnlyList<string>> ProjectsWithUnpublishedAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
    }

    private static LogEntry Entry(long id, string project, int year, int month, int day) =>
        new(id, project, "alice", $"message {id}", "#ops", new DateTimeOffset(year, month, day, 10, 0, 0, TimeSpan.Zero));

    private static RunnerRig Rig(params JobDefinition[] jobs)
    {
        var rig = new RunnerRig(jobs, Project("bots"), Project("maps"))
        {
            Entries = new Entries(
                Entry(1, "bots", 2026, 11, 24), Entry(2, "bots", 2026, 11, 10), Entry(3, "bots", 2026, 10, 2),
                Entry(4, "bots", 2026, 9, 15), Entry(5, "bots", 2026, 7, 1), Entry(6, "maps", 2026, 11, 20)),
        };
        rig.TemplateTexts["sal"] = "{{ for e in entries }}{{ e.id }} {{ end }}|{{ parameters.archives }}|{{ parameters.month }}";
        return rig;
    }

    [Fact]
    public async Task Days_parameter_keeps_the_recent_entries()
    {
        var job = Job("sal", "sal", source: JobSource.Sal) with { Parameters = new Dictionary<string, string> { ["days"] = "7" } };
        var rig = Rig(job);

        var report = await rig.RunAsync(new SyncRequest([], ["bots"], DryRun: true));

        report.Pages.ShouldHaveSingleItem().Text!.ShouldContain("\n1 |");
    }

    [Fact]
    public async Task Months_parameter_keeps_this_and_the_previous_month_and_names_the_archive_months()
    {
        var job = Job("sal", "sal", page: "Nova Resource:{{ project.name }}/SAL", source: JobSource.Sal) with { Parameters = new Dictionary<string, string> { ["months"] = "2" } };
        var rig = Rig(job);

        var report = await rig.RunAsync(new SyncRequest([], ["bots"], DryRun: true));

        report.Pages.ShouldHaveSingleItem().Text!.ShouldContain("\n1 2 3 |2026-09,2026-07|");
    }

    [Fact]
    public async Task Sal_month_makes_one_archive_page_per_older_month()
    {
        var job = Job("sal-archive", "sal", page: "Nova Resource:{{ project.name }}/SAL/{{ parameters.month }}", source: JobSource.Sal, forEach: ForEach.SalMonth) with { Template = "sal" };
        var rig = Rig(job);

        var report = await rig.RunAsync(new SyncRequest([], [], DryRun: true));

        report.Pages.Select(p => p.Title).ShouldBe(["Nova Resource:bots/SAL/2026-09", "Nova Resource:bots/SAL/2026-07"], ignoreOrder: true);
        report.Pages.Single(p => p.Title.EndsWith("2026-09", StringComparison.Ordinal)).Text!.ShouldContain("\n4 |");
    }

    [Fact]
    public async Task Entries_are_read_once_per_project_and_run_however_many_jobs_use_them()
    {
        var full = Job("sal", "sal", page: "Nova Resource:{{ project.name }}/SAL", source: JobSource.Sal);
        var recent = Job("sal-recent", "sal", source: JobSource.Sal) with { Template = "sal" };
        var rig = Rig(full, recent);

        await rig.RunAsync(new SyncRequest([], [], DryRun: true));

        ((Entries)rig.Entries!).BulkReads.ShouldBe(1);
        ((Entries)rig.Entries!).Reads.ShouldBe(0);
    }

    [Fact]
    public async Task Entries_of_all_projects_come_in_one_read_and_render_as_read_one_by_one()
    {
        var full = Job("sal", "sal", page: "Nova Resource:{{ project.name }}/SAL", source: JobSource.Sal);
        var archive = Job("sal-archive", "sal", page: "Nova Resource:{{ project.name }}/SAL/{{ parameters.month }}", source: JobSource.Sal, forEach: ForEach.SalMonth) with { Template = "sal" };
        var bulk = Rig(full, archive);
        var oneByOne = Rig(full, archive);
        oneByOne.Entries = new Entries(
            Entry(1, "bots", 2026, 11, 24), Entry(2, "bots", 2026, 11, 10), Entry(3, "bots", 2026, 10, 2),
            Entry(4, "bots", 2026, 9, 15), Entry(5, "bots", 2026, 7, 1), Entry(6, "maps", 2026, 11, 20)) { BulkFails = true };

        var a = await bulk.RunAsync(new SyncRequest([], [], DryRun: true));
        var b = await oneByOne.RunAsync(new SyncRequest([], [], DryRun: true));

        ((Entries)bulk.Entries!).Reads.ShouldBe(0);
        ((Entries)oneByOne.Entries!).Reads.ShouldBe(2);
        // Issue 12 §7: the archive months of every project in one read too; one by one when that fails.
        ((Entries)bulk.Entries!).BulkMonthListings.ShouldBe(1);
        ((Entries)bulk.Entries!).MonthListings.ShouldBe(0);
        ((Entries)oneByOne.Entries!).MonthListings.ShouldBe(2);
        a.Pages.Select(p => (p.Title, p.Text)).ShouldBe(b.Pages.Select(p => (p.Title, p.Text)), ignoreOrder: true);
        a.Pages.Count.ShouldBe(4);
        // Each archive page reads its own month: two for bots (2026-09, 2026-07), none for maps.
        ((Entries)bulk.Entries!).MonthReads.ShouldBe(2);
    }

    [Fact]
    public async Task A_pass_naming_archive_months_renders_only_those()
    {
        var full = Job("sal", "sal", page: "Nova Resource:{{ project.name }}/SAL", source: JobSource.Sal) with { Parameters = new Dictionary<string, string> { ["months"] = "2" } };
        var archive = Job("sal-archive", "sal", page: "Nova Resource:{{ project.name }}/SAL/{{ parameters.month }}", source: JobSource.Sal, forEach: ForEach.SalMonth) with { Template = "sal" };
        var rig = Rig(full, archive);

        // Now is in 2026-11 (the rig's clock): 2026-09 closed last; 2026-07 was written when it closed.
        var months = SalEntries.ArchiveMonthsFor([Entry(9, "bots", 2026, 11, 25)], rig.Time.GetUtcNow());
        months.ShouldBe(["2026-09"]);
        var report = await rig.RunAsync(new SyncRequest([], ["bots"], DryRun: true) { ArchiveMonths = months });

        report.Pages.Select(p => p.Title).ShouldBe(["Nova Resource:bots/SAL", "Nova Resource:bots/SAL/2026-09"], ignoreOrder: true);
        ((Entries)rig.Entries!).MonthReads.ShouldBe(1);
    }

    [Fact]
    public async Task Withheld_entries_are_on_none_of_the_pages_of_the_pass_and_not_carried()
    {
        var full = Job("sal", "sal", page: "Nova Resource:{{ project.name }}/SAL", source: JobSource.Sal);
        var archive = Job("sal-archive", "sal", page: "Nova Resource:{{ project.name }}/SAL/{{ parameters.month }}", source: JobSource.Sal, forEach: ForEach.SalMonth) with { Template = "sal" };
        var rig = Rig(full, archive);

        var report = await rig.RunAsync(new SyncRequest([], ["bots"], DryRun: false) { SalWithheld = new HashSet<long> { 2, 4 } });

        var log = report.Pages.Single(p => p.Title == "Nova Resource:bots/SAL");
        rig.Wiki.Text(log.Title)!.ShouldContain("\n1 3 5 |");
        log.SalEntryIds.ShouldBe([1, 3, 5], ignoreOrder: true);
        rig.Wiki.Text("Nova Resource:bots/SAL/2026-09")!.ShouldContain("\n||2026-09");
    }

    [Fact]
    public async Task A_page_the_wiki_refuses_for_its_text_says_so_with_the_code_and_carries_no_entry()
    {
        var full = Job("sal", "sal", page: "Nova Resource:{{ project.name }}/SAL", source: JobSource.Sal);
        var rig = Rig(full);
        rig.TemplateTexts["sal"] = "{{ for e in entries }}{{ e.message }} {{ end }}";
        rig.Wiki.RefuseContaining("message 2");

        var report = await rig.RunAsync(new SyncRequest([], ["bots"], DryRun: false));

        var page = report.Pages.ShouldHaveSingleItem();
        page.Action.ShouldBe(PageAction.Failed);
        page.SalEntryIds.ShouldBeEmpty();
        page.Refusal.ShouldNotBeNull().Code.ShouldBe("spamprotectionmatch");
        page.Refusal.SalEntryIds.ShouldBe([1, 2, 3, 4, 5], ignoreOrder: true);
        page.Refusal.ToString().ShouldStartWith("spamprotectionmatch: The wiki's spam filter refused the edit of \"Nova Resource:bots/SAL\"");
    }

    [Fact]
    public async Task A_page_refused_for_another_reason_is_no_content_refusal()
    {
        var rig = Rig(Job("sal", "sal", page: "Nova Resource:{{ project.name }}/SAL", source: JobSource.Sal));
        rig.Wiki.Refuse("Nova Resource:bots/SAL", WikiSync.Wiki.WikiApiException.ProtectedPage("Nova Resource:bots/SAL", "protectedpage", "protected"));

        var report = await rig.RunAsync(new SyncRequest([], ["bots"], DryRun: false));

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Failed);
        report.Pages[0].Refusal.ShouldBeNull();
    }
}
