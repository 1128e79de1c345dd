using WikiSync.AdminLog;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.AdminLog;

public sealed class LogEntryStoreTests : IDisposable
{
    private static CancellationToken Ct => CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2025, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private readonly TempSalStore _db = new();

    public void Dispose() => _db.Dispose();

    private Task<(WikiSync.Model.LogEntry Entry, bool Added)> AddAsync(string project, string message, DateTimeOffset at, string? key = null) =>
        _db.Entries.AddAsync(new NewLogEntry(key ?? Guid.NewGuid().ToString(), project, "alice", message, "#ops", at), Ct);

    [Fact]
    public async Task List_is_newest_first_and_filters_by_since()
    {
        await AddAsync("tools", "one", T0);
        await AddAsync("tools", "two", T0.AddMinutes(1));
        await AddAsync("tools", "three", T0.AddDays(1));
        await AddAsync("other", "x", T0);

        (await _db.Entries.ListAsync("tools", null, Ct)).Select(e => e.Message).ShouldBe(["three", "two", "one"]);
        (await _db.Entries.ListAsync("tools", T0.AddMinutes(1), Ct)).Select(e => e.Message).ShouldBe(["three", "two"]);
    }

    [Fact]
    public async Task List_many_gives_each_project_what_list_gives_it_in_one_call()
    {
        await AddAsync("tools", "one", T0);
        await AddAsync("tools", "same time, later id", T0);
        await AddAsync("tools", "next day", T0.AddDays(1));
        await AddAsync("maps", "m", T0.AddMinutes(3));
        await AddAsync("Tools", "other case", T0);
        await AddAsync("unasked", "u", T0);

        var many = await _db.Entries.ListManyAsync(["tools", "maps", "quiet", "tools"], null, Ct);

        many.Keys.ShouldBe(["tools", "maps", "quiet"], ignoreOrder: true);
        foreach (var project in new[] { "tools", "maps", "quiet" })
            many[project].ShouldBe(await _db.Entries.ListAsync(project, null, Ct));
        many["tools"].Select(e => e.Message).ShouldBe(["next day", "same time, later id", "one"]);
        many["quiet"].ShouldBeEmpty();
    }

    [Fact]
    public async Task List_many_reads_more_projects_than_one_batch_holds()
    {
        var names = Enumerable.Range(0, 1203).Select(i => $"p{i:D4}").ToList();
        foreach (var name in names.Where((_, i) => i % 100 == 0))
            await AddAsync(name, name, T0);

        var many = await _db.Entries.ListManyAsync(names, null, Ct);

        many.Count.ShouldBe(1203);
        many.Where(p => p.Value.Count > 0).Select(p => p.Key).ShouldBe(names.Where((_, i) => i % 100 == 0), ignoreOrder: true);
    }

    [Fact]
    public async Task Windowed_reads_give_one_month_the_months_before_a_date_and_the_latest_entry()
    {
        await AddAsync("tools", "january", new DateTimeOffset(2025, 1, 31, 23, 59, 59, TimeSpan.Zero));
        await AddAsync("tools", "march", new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await AddAsync("tools", "march again", new DateTimeOffset(2025, 3, 15, 0, 0, 0, TimeSpan.Zero));
        await AddAsync("tools", "may", T0);
        await AddAsync("other", "elsewhere", new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero));
        var march = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

        (await _db.Entries.ListBetweenAsync("tools", march, march.AddMonths(1), Ct)).Select(e => e.Message).ShouldBe(["march again", "march"]);
        (await _db.Entries.MonthsBeforeAsync("tools", new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero), Ct)).ShouldBe(["2025-03", "2025-01"]);
        (await _db.Entries.MonthsBeforeAsync("quiet", T0, Ct)).ShouldBeEmpty();
        (await _db.Entries.LatestAsync(["tools", "other", "quiet"], Ct)).Select(e => e.Message).ShouldBe(["may", "elsewhere"]);
        (await _db.Entries.ListManyAsync(["tools"], march, Ct))["tools"].Select(e => e.Message).ShouldBe(["may", "march again", "march"]);
    }

    [Fact]
    public async Task Months_before_many_gives_each_project_what_months_before_gives_it()
    {
        await AddAsync("tools", "january", new DateTimeOffset(2025, 1, 31, 23, 59, 59, TimeSpan.Zero));
        await AddAsync("tools", "march", new DateTimeOffset(2025, 3, 15, 0, 0, 0, TimeSpan.Zero));
        await AddAsync("tools", "after", T0);
        await AddAsync("maps", "only recent", T0);
        await AddAsync("Tools", "other case", new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var before = new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);
        var names = new[] { "tools", "maps", "quiet", "tools" }.Concat(Enumerable.Range(0, 1203).Select(i => $"p{i:D4}")).ToList();
        await AddAsync("p1202", "last batch", new DateTimeOffset(2025, 2, 2, 0, 0, 0, TimeSpan.Zero));

        var many = await _db.Entries.MonthsBeforeManyAsync(names, before, Ct);

        many.Count.ShouldBe(1206);
        foreach (var project in new[] { "tools", "maps", "quiet", "p1202", "p0000" })
            many[project].ShouldBe(await _db.Entries.MonthsBeforeAsync(project, before, Ct));
        many["tools"].ShouldBe(["2025-03", "2025-01"]);
        many["p1202"].ShouldBe(["2025-02"]);
        many["maps"].ShouldBeEmpty();
    }

    [Fact]
    public async Task Mark_published_records_each_entry_once_and_keeps_the_first_revision()
    {
        var a = (await AddAsync("tools", "a", T0)).Entry;
        var b = (await AddAsync("tools", "b", T0)).Entry;

        (await _db.Entries.MarkPublishedAsync([a.Id], 42, T0, Ct)).ShouldBe(1);
        (await _db.Entries.MarkPublishedAsync([a.Id, b.Id], 43, T0, Ct)).ShouldBe(1);

        var entries = await _db.Entries.ListAsync("tools", null, Ct);
        entries.Single(e => e.Id == a.Id).PublishedRevision.ShouldBe(42);
        entries.Single(e => e.Id == b.Id).PublishedRevision.ShouldBe(43);
        (await _db.Entries.ProjectsWithUnpublishedAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Unpublished_summary_counts_and_gives_the_oldest()
    {
        await AddAsync("tools", "a", T0.AddMinutes(5));
        await AddAsync("other", "b", T0);
        var summary = await _db.Entries.SummarizeUnpublishedAsync(Ct);
        summary.ShouldBe(new UnpublishedSummary(2, T0));
        (await _db.Entries.ProjectsWithUnpublishedAsync(Ct)).ShouldBe(["other", "tools"]);
    }

    [Fact]
    public async Task Messages_are_stored_byte_for_byte()
    {
        const string hostile = "<!-- wikisync:end sal --> {{x}} [[Category:X]] \u202Eevil\u0001 ''' ~~~~ 'quote' \"dq\" ; DROP TABLE sal_entries; --";
        await AddAsync("tools", hostile, T0);
        (await _db.Entries.ListAsync("tools", null, Ct)).ShouldHaveSingleItem().Message.ShouldBe(hostile);
    }
}
