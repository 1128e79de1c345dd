using Microsoft.Extensions.Time.Testing;
using WikiSync.AdminLog;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.AdminLog;

public sealed class LogIntakeTests : IDisposable
{
    private static CancellationToken Ct => CancellationToken.None;

    private readonly TempSalStore _db = new();
    private readonly RecordingSignal _signal = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 5, 6, 7, 8, 9, TimeSpan.Zero));

    public void Dispose() => _db.Dispose();

    private LogIntake Intake(LogAccess? access = null) => SalTestData.Intake(_db.Entries, _signal, _time, access);

    [Fact]
    public async Task Logged_entry_is_stored_then_signalled_and_answered_with_the_sal_url()
    {
        var result = await Intake().HandleChatAsync(ChannelPolicy.Open("#ops"), SalTestData.Alice, "!log tools restarted nginx", Ct);

        result!.Reply.ShouldBe("Logged the message at http://wiki.test/index.php?title=Nova_Resource:tools/SAL, alice");
        var stored = (await _db.Entries.ListAsync("tools", null, Ct)).ShouldHaveSingleItem();
        stored.ShouldBe(new WikiSync.Model.LogEntry(stored.Id, "tools", "alice", "restarted nginx", "#ops", _time.GetUtcNow()));
        _signal.Stored.ShouldHaveSingleItem().Id.ShouldBe(stored.Id);
    }

    [Fact]
    public async Task Project_name_is_matched_case_insensitively_and_stored_canonically()
    {
        await Intake().HandleChatAsync(ChannelPolicy.Open("#ops"), SalTestData.Alice, "!log TOOLS x", Ct);
        (await _db.Entries.ListAsync("tools", null, Ct)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Unknown_project_is_answered_and_nothing_stored()
    {
        var result = await Intake().HandleChatAsync(ChannelPolicy.Open("#ops"), SalTestData.Alice, "!log nosuch did things", Ct);
        result!.Reply.ShouldBe("Unknown project \"nosuch\"");
        await NothingStoredAsync();
    }

    [Theory]
    [InlineData("!log tools")]
    [InlineData("!log tools    ")]
    [InlineData("!log")]
    public async Task Empty_message_is_answered_and_nothing_stored(string line)
    {
        var result = await Intake().HandleChatAsync(ChannelPolicy.Open("#ops"), SalTestData.Alice, line, Ct);
        result!.Reply.ShouldBe("Message missing. Nothing logged.");
        await NothingStoredAsync();
    }

    [Fact]
    public async Task Help_is_one_line_with_usage_and_url()
    {
        var result = await Intake().HandleChatAsync(new ChannelPolicy("#tools", Project: "tools"), SalTestData.Alice, "!log help", Ct);
        result!.Outcome.ShouldBe(LogOutcome.Help);
        result.Reply.ShouldContain("!log <message>");
        result.Reply.ShouldContain("http://wiki.test/index.php?title=Nova_Resource:tools/SAL");
        result.Reply.ShouldNotContain("\n");
        await NothingStoredAsync();
    }

    [Fact]
    public async Task Bound_channel_logs_without_the_project()
    {
        var result = await Intake().HandleChatAsync(new ChannelPolicy("#tools", Project: "tools"), SalTestData.Alice, "!log cleared cache", Ct);
        result!.Outcome.ShouldBe(LogOutcome.Logged);
        (await _db.Entries.ListAsync("tools", null, Ct)).ShouldHaveSingleItem().Message.ShouldBe("cleared cache");
    }

    [Fact]
    public async Task Refused_by_acl_gets_a_reply_and_nothing_is_stored()
    {
        var policy = new ChannelPolicy("#ops", Who: LogWho.Members);
        var result = await Intake().HandleChatAsync(policy, new IrcUser("mallory", "m", "h"), "!log tools rm -rf", Ct);
        result!.Outcome.ShouldBe(LogOutcome.Refused);
        result.Reply.ShouldContain("Nothing logged");
        await NothingStoredAsync();
    }

    [Fact]
    public async Task Ordinary_chat_gets_no_reply()
    {
        (await Intake().HandleChatAsync(ChannelPolicy.Open("#ops"), SalTestData.Alice, "good morning", Ct)).ShouldBeNull();
        await NothingStoredAsync();
    }

    [Fact]
    public async Task Cli_submission_goes_the_same_way_with_its_author()
    {
        var result = await Intake().SubmitAsync(new LogSubmission("tools", "upgraded kernel", "root", "cli"), Ct);
        result.Reply.ShouldBe("Logged the message at http://wiki.test/index.php?title=Nova_Resource:tools/SAL, root");
        (await _db.Entries.ListAsync("tools", null, Ct)).ShouldHaveSingleItem().Channel.ShouldBe("cli");
        _signal.Stored.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Same_idempotency_key_stores_the_entry_once()
    {
        var first = await Intake().SubmitAsync(new LogSubmission("tools", "once", "root", "http", "key-1"), Ct);
        var second = await Intake().SubmitAsync(new LogSubmission("tools", "once", "root", "http", "key-1"), Ct);
        second.Repeated.ShouldBeTrue();
        second.Entry!.Id.ShouldBe(first.Entry!.Id);
        (await _db.Entries.ListAsync("tools", null, Ct)).Count.ShouldBe(1);
    }

    private async Task NothingStoredAsync()
    {
        (await _db.Entries.ProjectsWithUnpublishedAsync(Ct)).ShouldBeEmpty();
        _signal.Stored.ShouldBeEmpty();
    }
}
