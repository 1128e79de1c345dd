using WikiSync.AdminLog;
using WikiSync.AdminLog.Search;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.AdminLog.Search;

public sealed class SalSearchStoreTests : IDisposable
{
    private static CancellationToken Ct => CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 3, 5, 10, 0, 0, TimeSpan.Zero);
    private readonly TempSalStore _db = new();

    public void Dispose() => _db.Dispose();

    private async Task AddAsync(string project, string author, string message, int minutes) =>
        await _db.Entries.AddAsync(new NewLogEntry(Guid.NewGuid().ToString("N"), project, author, message, "#ops", T0.AddMinutes(minutes)), Ct);

    private SalSearchStore Search => new(_db.Store);

    [Fact]
    public async Task Words_project_author_and_time_narrow_the_results_newest_first()
    {
        await AddAsync("tools", "alice", "restarted nginx on tools-proxy-05", 0);
        await AddAsync("tools", "bob", "restarted the grid master", 10);
        await AddAsync("deployment-prep", "alice", "restarted nginx in beta", 20);
        await AddAsync("tools", "alice", "upgraded kernel", 30);

        (await Search.SearchAsync(new SalQuery("restarted nginx"), Ct)).Entries.Select(e => e.Message)
            .ShouldBe(["restarted nginx in beta", "restarted nginx on tools-proxy-05"]);
        (await Search.SearchAsync(new SalQuery("restarted", Project: "TOOLS"), Ct)).Entries.Count.ShouldBe(2);
        (await Search.SearchAsync(new SalQuery(Author: "Alice"), Ct)).Entries.Count.ShouldBe(3);
        (await Search.SearchAsync(new SalQuery(From: T0.AddMinutes(10), Until: T0.AddMinutes(30)), Ct)).Entries.Select(e => e.Author).ShouldBe(["alice", "bob"]);
    }

    [Fact]
    public async Task Pages_say_whether_more_match()
    {
        for (var i = 0; i < 5; i++)
            await AddAsync("tools", "alice", $"step {i}", i);
        var first = await Search.SearchAsync(new SalQuery(Limit: 2), Ct);
        first.Entries.Select(e => e.Message).ShouldBe(["step 4", "step 3"]);
        first.More.ShouldBeTrue();
        var last = await Search.SearchAsync(new SalQuery(Limit: 2, Offset: 4), Ct);
        last.Entries.ShouldHaveSingleItem().Message.ShouldBe("step 0");
        last.More.ShouldBeFalse();
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("OR")]
    [InlineData("a* -b NEAR(c)")]
    [InlineData("restarted\"")]
    public async Task Query_syntax_in_words_is_text_not_an_error(string words)
    {
        await AddAsync("tools", "alice", "restarted OR not", 0);
        await Should.NotThrowAsync(() => Search.SearchAsync(new SalQuery(words), Ct));
    }

    [Fact]
    public async Task Entries_stored_before_and_after_the_index_are_found_and_an_entry_by_id()
    {
        await AddAsync("tools", "alice", "findable words", 0);
        var found = (await Search.SearchAsync(new SalQuery("findable"), Ct)).Entries.ShouldHaveSingleItem();
        (await Search.GetAsync(found.Id, Ct))!.Message.ShouldBe("findable words");
        (await Search.GetAsync(found.Id + 1000, Ct)).ShouldBeNull();
    }
}
