using WikiSync.AdminLog.Import;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.AdminLog.Import;

public sealed class SalJsonLinesTests : IDisposable
{
    private readonly TempSalStore _db = new();
    private readonly string _file = Path.GetTempFileName();

    public void Dispose()
    {
        _db.Dispose();
        File.Delete(_file);
    }

    [Fact]
    public async Task Lines_of_the_project_are_read_with_their_time_nick_and_message_and_bad_ones_are_named()
    {
        await File.WriteAllLinesAsync(_file, [
            """{"@timestamp":"2019-04-01T10:11:12Z","nick":"bd808","message":"restarted stashbot","project":"tools"}""",
            """{"@timestamp":1554113472000,"nick":"arturo","message":"rebooted tools-sgeexec-0901","project":"Tools"}""",
            """{"@timestamp":"2019-04-01T10:11:12Z","nick":"x","message":"elsewhere","project":"deployment-prep"}""",
            "",
            """{"@timestamp":"yesterday","nick":"x","message":"m","project":"tools"}""",
            "{\"nick\":\"x\",\"message\":\"m\",\"project\":\"tools\"",
        ]);

        var read = await SalJsonLines.ReadAsync(_file, "tools", CancellationToken.None);

        read.Entries.Select(e => (e.Utc, e.Author, e.Message)).ShouldBe([
            (new DateTimeOffset(2019, 4, 1, 10, 11, 12, TimeSpan.Zero), "bd808", "restarted stashbot"),
            (DateTimeOffset.FromUnixTimeMilliseconds(1554113472000), "arturo", "rebooted tools-sgeexec-0901"),
        ]);
        read.OtherProjects.ShouldBe(1);
        read.Problems.Select(p => (p.Line, p.Reason.Split(' ')[0])).ShouldBe([(5, "field"), (6, "not")]);
        read.Problems[0].ToString().ShouldStartWith(_file + ":5: field \"@timestamp\"");
    }

    [Fact]
    public void The_key_depends_only_on_project_time_author_and_message()
    {
        var at = new DateTimeOffset(2019, 4, 1, 10, 11, 0, TimeSpan.Zero);
        var fromPage = new ImportedEntry(at, "bd808", "restarted stashbot", "Nova Resource:Tools/SAL", 12);
        var fromFile = new ImportedEntry(at.ToOffset(TimeSpan.FromHours(2)), "bd808", "restarted stashbot", "copy.jsonl", 3);
        fromPage.Key("tools").ShouldBe(fromFile.Key("tools"));
        fromPage.Key("tools").ShouldNotBe(fromPage.Key("toolsbeta"));
        fromPage.Key("tools").ShouldNotBe((fromPage with { Message = "restarted stashbot again" }).Key("tools"));
        fromPage.Key("tools").Length.ShouldBeLessThanOrEqualTo(200);
    }

    [Fact]
    public async Task A_second_import_adds_nothing()
    {
        var at = new DateTimeOffset(2019, 4, 1, 10, 11, 0, TimeSpan.Zero);
        var entries = new[] { new ImportedEntry(at, "a", "one", "p", 1), new ImportedEntry(at, "a", "two", "p", 2) }
            .Select(e => new WikiSync.AdminLog.NewLogEntry(e.Key("tools"), "tools", e.Author, e.Message, "import", e.Utc)).ToList();
        (await _db.Entries.AddImportedAsync(entries, at, CancellationToken.None)).ShouldBe(2);
        (await _db.Entries.AddImportedAsync(entries, at, CancellationToken.None)).ShouldBe(0);
        (await _db.Entries.ExistingKeysAsync([.. entries.Select(e => e.IdempotencyKey), "other"], CancellationToken.None)).Count.ShouldBe(2);
        (await _db.Entries.ListUnpublishedAsync("tools", CancellationToken.None)).ShouldBeEmpty();
        (await _db.Entries.ListAsync("tools", null, CancellationToken.None)).Select(e => e.ReceivedUtc).Distinct().ShouldBe([at]);
    }
}
