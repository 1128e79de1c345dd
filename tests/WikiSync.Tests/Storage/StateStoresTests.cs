using Microsoft.Extensions.Time.Testing;
using WikiSync.Storage;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Storage;

public sealed class StateStoresTests : IDisposable
{
    private static CancellationToken Ct => CancellationToken.None;
    private readonly TempSalStore _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Placed_sections_are_remembered_per_page_and_recording_twice_is_harmless()
    {
        var placed = new PlacedSectionsStore(_db.Store, _time);
        await placed.RecordAsync("Nova Resource:tools", ["instances", "members"], Ct);
        await placed.RecordAsync("Nova Resource:tools", ["members", "sal"], Ct);

        (await placed.PlacedAsync("Nova Resource:tools", Ct)).OrderBy(s => s, StringComparer.Ordinal).ShouldBe(["instances", "members", "sal"]);
        (await placed.PlacedAsync("Nova Resource:other", Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Verified_pages_are_kept_per_page_and_section_set_with_their_time_and_a_new_verification_replaces_the_old()
    {
        var verified = new VerifiedPagesStore(_db.Store, _time);
        var passStart = _time.GetUtcNow().AddMinutes(-3);
        await verified.RecordAsync([new("Nova Resource:tools", "instances,members", 10, "aa"), new("Nova Resource:tools", "instances", 10, "bb")], Ct);
        await verified.RecordAsync([new("Nova Resource:tools", "instances,members", 12, "cc") { VerifiedUtc = passStart }], Ct);

        var rows = await verified.FindAsync([.. Enumerable.Range(0, 1200).Select(i => $"Page {i}"), "Nova Resource:tools"], Ct);

        rows.OrderBy(r => r.SectionSet, StringComparer.Ordinal).ShouldBe(
        [
            new("Nova Resource:tools", "instances", 10, "bb") { VerifiedUtc = _time.GetUtcNow() },
            new("Nova Resource:tools", "instances,members", 12, "cc") { VerifiedUtc = passStart },
        ]);
        (await verified.FindAsync(["Nova Resource:other"], Ct)).ShouldBeEmpty();
        (await verified.OldestAsync(passStart.AddMinutes(-1), Ct)).ShouldBe(passStart);
        (await verified.OldestAsync(passStart.AddMinutes(1), Ct)).ShouldBe(_time.GetUtcNow());
        (await verified.OldestAsync(_time.GetUtcNow().AddMinutes(1), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Written_sections_are_kept_per_page_and_section_with_what_is_held_and_a_new_row_replaces_the_old()
    {
        var written = new WrittenSectionsStore(_db.Store, _time);
        await written.RecordAsync([new("Nova Resource:tools", "instances", "aa", 10), new("Nova Resource:tools", "members", "bb", 10)], Ct);
        await written.RecordAsync([new("Nova Resource:tools", "instances", "aa", 10) { HeldRender = "cc", HeldUser = "Editor", HeldRevision = 11 }], Ct);

        var rows = await written.FindAsync([.. Enumerable.Range(0, 1200).Select(i => $"Page {i}"), "Nova Resource:tools"], Ct);

        rows.OrderBy(r => r.Section, StringComparer.Ordinal).ShouldBe(
        [
            new("Nova Resource:tools", "instances", "aa", 10) { HeldRender = "cc", HeldUser = "Editor", HeldRevision = 11 },
            new("Nova Resource:tools", "members", "bb", 10),
        ]);
        (await written.FindAsync(["Nova Resource:other"], Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Human_edits_list_newest_first_and_trim()
    {
        var log = new EditLogStore(_db.Store, _time);
        await log.RecordHumanEditAsync(new("Page 1", "instances", "Editor", 11, "held", "instances"), Ct);
        _time.Advance(TimeSpan.FromMinutes(1));
        await log.RecordHumanEditAsync(new("Page 2", "members", "Mallory", 12, "replaced", "members"), Ct);

        var recent = await log.RecentHumanEditsAsync(10, Ct);

        recent.ShouldBe(
        [
            new("Page 2", "members", "Mallory", 12, "replaced", "members") { Utc = _time.GetUtcNow() },
            new("Page 1", "instances", "Editor", 11, "held", "instances") { Utc = _time.GetUtcNow().AddMinutes(-1) },
        ]);
        (await log.TrimHumanEditsAsync(1, Ct)).ShouldBe(1);
        (await log.RecentHumanEditsAsync(10, Ct)).ShouldHaveSingleItem().Page.ShouldBe("Page 2");
    }

    [Fact]
    public async Task Edit_log_lists_newest_first_and_trims()
    {
        var log = new EditLogStore(_db.Store, _time);
        for (var i = 1; i <= 5; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            await log.RecordAsync($"Page {i}", 100 + i, $"update {i}", ["instances", "members"], "instances", Ct);
        }

        var recent = await log.RecentAsync(3, Ct);
        recent.Select(e => e.Page).ShouldBe(["Page 5", "Page 4", "Page 3"]);
        recent[0].Sections.ShouldBe(["instances", "members"]);
        recent[0].Utc.ShouldBe(_time.GetUtcNow());
        (await log.TrimAsync(2, Ct)).ShouldBe(3);
        (await log.RecentAsync(10, Ct)).Count.ShouldBe(2);
    }
}
