using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.AdminLog;
using WikiSync.IntegrationTests.Support;
using WikiSync.Model;
using WikiSync.Storage;
using WikiSync.Testing;

namespace WikiSync.IntegrationTests.AdminLog;

/// <summary>
/// The entry bounds on both engines: what SQLite would accept and PostgreSQL would answer with an error
/// (NUL, unpaired surrogate) is refused by the intake before either sees it, the same way on both.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LogBoundsStoreTests(PostgresFixture postgres) : IDisposable
{
    private static CancellationToken Ct => CancellationToken.None;
    private readonly string _folder = Directory.CreateTempSubdirectory("wikisync-bounds-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    public static TheoryData<string> Engines => new() { "sqlite", "postgres" };

    private async Task<(LogIntake Intake, LogEntryStore Entries)> IntakeAsync(string engine)
    {
        IStore store = engine == "sqlite" ? new SqliteStore(_folder) : new PostgresStore(await postgres.NewDatabaseAsync());
        await new Migrator(store).MigrateAsync(Ct);
        var entries = new LogEntryStore(store);
        var intake = new LogIntake(entries, new FixedProjectCatalog(SalRig.Inventory), new NoSignal(), new LogAccess(),
            ShippedPages(), TimeProvider.System, NullLogger<LogIntake>.Instance);
        return (intake, entries);
    }

    private static SalPages ShippedPages()
    {
        var templates = WikiSync.Sync.TemplateSetTemplates.Load(RepoPaths.Templates);
        return new SalPages("http://wiki.test/index.php", WikiSync.Jobs.JobLoader.Load(RepoPaths.Jobs, templates.Exists), templates, TimeProvider.System);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Unstorable_text_is_refused_the_same_on_both_engines(string engine)
    {
        var (intake, entries) = await IntakeAsync(engine);
        string[] bad = ["a\0b", "lone " + (char)0xD800 + " high", "lone low " + (char)0xDC01, new string('x', 1001)];
        foreach (var message in bad)
            (await intake.SubmitAsync(new LogSubmission("tools", message, "ci", "http"), Ct)).Outcome.ShouldBe(LogOutcome.Invalid);
        (await intake.SubmitAsync(new LogSubmission("tools", "ok", "a\0b", "http"), Ct)).Outcome.ShouldBe(LogOutcome.Invalid);
        (await entries.ListAsync("tools", null, Ct)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Entries_at_the_bounds_are_stored_and_read_back_unchanged(string engine)
    {
        var (intake, entries) = await IntakeAsync(engine);
        var longest = "🚀" + new string('m', 998);
        var author = new string('a', 200);
        (await intake.SubmitAsync(new LogSubmission("tools", longest, author, "http"), Ct)).Outcome.ShouldBe(LogOutcome.Logged);
        var stored = (await entries.ListAsync("tools", null, Ct)).ShouldHaveSingleItem();
        stored.Message.ShouldBe(longest);
        stored.Author.ShouldBe(author);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_key_sent_again_with_another_message_is_a_conflict(string engine)
    {
        var (intake, entries) = await IntakeAsync(engine);
        (await intake.SubmitAsync(new LogSubmission("tools", "one", "ci", "http", "http:k"), Ct)).Outcome.ShouldBe(LogOutcome.Logged);
        (await intake.SubmitAsync(new LogSubmission("tools", "two", "ci", "http", "http:k"), Ct)).Outcome.ShouldBe(LogOutcome.Conflict);
        (await intake.SubmitAsync(new LogSubmission("deployment-prep", "one", "ci", "http", "http:k"), Ct)).Outcome.ShouldBe(LogOutcome.Conflict);
        (await entries.ListAsync("tools", null, Ct)).ShouldHaveSingleItem().Message.ShouldBe("one");
    }

    private sealed class NoSignal : ISalSignal
    {
        public void EntryStored(LogEntry entry)
        {
        }
    }
}
