using WikiSync.AdminLog;
using WikiSync.AdminLog.Search;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.AdminLog;

/// <summary>Refused and hidden entries (migration 5): in the store, on no page, in no search, waiting for nothing.</summary>
public sealed class LogEntryStoreStatesTests : IDisposable
{
    private static CancellationToken Ct => CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 11, 6, 7, 8, 9, TimeSpan.Zero);

    private readonly TempSalStore _db = new();

    public void Dispose() => _db.Dispose();

    private async Task<long> AddAsync(string message, int minute) =>
        (await _db.Entries.AddAsync(new NewLogEntry(Guid.NewGuid().ToString(), "tools", "alice", message, "#ops", T0.AddMinutes(minute)), Ct)).Entry.Id;

    [Fact]
    public async Task Refused_and_hidden_entries_are_on_no_page_and_wait_for_nothing()
    {
        var shown = await AddAsync("shown words", 0);
        var refused = await AddAsync("refused words", 1);
        var hidden = await AddAsync("hidden words", 2);
        (await _db.Entries.MarkRefusedAsync([refused], "spamdetected: no", T0, Ct)).ShouldBe(1);
        (await _db.Entries.HideAsync(hidden, T0, Ct)).Changed.ShouldBeTrue();

        (await _db.Entries.ListAsync("tools", null, Ct)).Select(e => e.Id).ShouldBe([shown]);
        (await _db.Entries.ListBetweenAsync("tools", T0, T0.AddDays(1), Ct)).Select(e => e.Id).ShouldBe([shown]);
        (await _db.Entries.ListManyAsync(["tools"], null, Ct))["tools"].Select(e => e.Id).ShouldBe([shown]);
        (await _db.Entries.LatestAsync(["tools"], Ct)).ShouldHaveSingleItem().Id.ShouldBe(shown);
        (await _db.Entries.ListUnpublishedAsync("tools", Ct)).Select(e => e.Id).ShouldBe([shown]);
        (await _db.Entries.SummarizeUnpublishedAsync(Ct)).Count.ShouldBe(1);
        var search = new SalSearchStore(_db.Store);
        (await search.SearchAsync(new SalQuery("words"), Ct)).Entries.Select(e => e.Id).ShouldBe([shown]);
        (await search.GetAsync(refused, Ct)).ShouldBeNull();
        (await search.GetAsync(hidden, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Months_before_ignores_a_month_that_holds_only_a_hidden_entry()
    {
        var old = await AddAsync("old", -60 * 24 * 70);
        await AddAsync("new", 0);
        await _db.Entries.HideAsync(old, T0, Ct);

        (await _db.Entries.MonthsBeforeAsync("tools", T0, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Sal_list_states_filter_and_unknown_ids_are_null()
    {
        var waiting = await AddAsync("w", 0);
        var published = await AddAsync("p", 1);
        var refused = await AddAsync("r", 2);
        await _db.Entries.MarkPublishedAsync([published], 7, T0, Ct);
        await _db.Entries.MarkRefusedAsync([refused], "abusefilter-disallowed: filter 3", T0, Ct);

        var all = await _db.Entries.ListStatedAsync(null, [], 10, Ct);
        all.Select(e => (e.Entry.Id, e.State)).ShouldBe([(refused, SalEntryState.Refused), (published, SalEntryState.Published), (waiting, SalEntryState.Waiting)]);
        (await _db.Entries.ListStatedAsync("tools", [SalEntryState.Refused], 10, Ct)).ShouldHaveSingleItem().Reason.ShouldBe("abusefilter-disallowed: filter 3");
        (await _db.Entries.ListStatedAsync("other", [], 10, Ct)).ShouldBeEmpty();
        (await _db.Entries.ListStatedAsync(null, [], 1, Ct)).ShouldHaveSingleItem().Entry.Id.ShouldBe(refused);
        (await _db.Entries.GetAsync(999_999, Ct)).ShouldBeNull();
        (await _db.Entries.RetryAsync(999_999, Ct)).Entry.ShouldBeNull();
        (await _db.Entries.HideAsync(999_999, T0, Ct)).Entry.ShouldBeNull();
    }

    [Fact]
    public async Task Only_a_waiting_entry_can_be_marked_refused_and_retry_changes_only_refused_or_hidden()
    {
        var published = await AddAsync("p", 0);
        await _db.Entries.MarkPublishedAsync([published], 7, T0, Ct);

        (await _db.Entries.MarkRefusedAsync([published], "spamdetected: x", T0, Ct)).ShouldBe(0);
        var retry = await _db.Entries.RetryAsync(published, Ct);
        retry.Changed.ShouldBeFalse();
        retry.Entry!.State.ShouldBe(SalEntryState.Published);

        await _db.Entries.HideAsync(published, T0, Ct);
        var shownAgain = await _db.Entries.RetryAsync(published, Ct);
        shownAgain.Changed.ShouldBeTrue();
        shownAgain.Entry!.State.ShouldBe(SalEntryState.Published);
        (await _db.Entries.ListAsync("tools", null, Ct)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_refusal_is_claimed_for_telling_once_even_after_a_retry_and_a_second_refusal()
    {
        var refused = await AddAsync("r", 0);
        await _db.Entries.MarkRefusedAsync([refused], "spamdetected: x", T0, Ct);
        (await _db.Entries.RefusedUntoldAsync(["#ops"], Ct)).ShouldHaveSingleItem().Entry.Id.ShouldBe(refused);
        (await _db.Entries.RefusedUntoldAsync(["#elsewhere"], Ct)).ShouldBeEmpty();
        (await _db.Entries.RefusedUntoldAsync(["#OPS"], Ct)).ShouldHaveSingleItem();

        (await _db.Entries.ClaimRefusalNoticeAsync(refused, T0, Ct)).ShouldBeTrue();
        (await _db.Entries.ClaimRefusalNoticeAsync(refused, T0, Ct)).ShouldBeFalse();
        (await _db.Entries.RefusedUntoldAsync(["#ops"], Ct)).ShouldBeEmpty();

        await _db.Entries.RetryAsync(refused, Ct);
        await _db.Entries.MarkRefusedAsync([refused], "spamdetected: x", T0, Ct);
        (await _db.Entries.RefusedUntoldAsync(["#ops"], Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Summarize_refused_counts_them_all_and_gives_the_newest()
    {
        (await _db.Entries.SummarizeRefusedAsync(2, Ct)).Count.ShouldBe(0);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
            ids.Add(await AddAsync($"r{i}", i));
        await _db.Entries.MarkRefusedAsync(ids, "contenttoobig: too big", T0, Ct);

        var (count, newest) = await _db.Entries.SummarizeRefusedAsync(2, Ct);
        count.ShouldBe(3);
        newest.Select(e => e.Entry.Id).ShouldBe([ids[2], ids[1]]);
    }
}
