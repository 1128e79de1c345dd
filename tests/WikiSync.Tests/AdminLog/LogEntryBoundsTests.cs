using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WikiSync.AdminLog;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.AdminLog;

public sealed class LogEntryBoundsTests : IDisposable
{
    private const string Token = "test-token-123";
    private static CancellationToken Ct => CancellationToken.None;
    private readonly TempSalStore _db = new();
    private readonly RecordingSignal _signal = new();

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData(1000, 200, true)]
    [InlineData(1001, 10, false)]
    [InlineData(10, 201, false)]
    public void Lengths_are_bounded(int message, int author, bool ok) =>
        (LogEntryBounds.Check(new string('a', author), new string('m', message)) is null).ShouldBe(ok);

    // Built here, not in attributes: xunit's serialization turns a lone surrogate into U+FFFD.
    [Theory]
    [InlineData(0, "NUL")]
    [InlineData(1, "unpaired surrogate")]
    [InlineData(2, "unpaired surrogate")]
    public void Unstorable_text_is_refused_naming_what(int which, string reason)
    {
        string[] messages = ["a\0b", "a" + (char)0xD800 + "b", "end" + (char)0xDC00];
        LogEntryBounds.Check("alice", messages[which]).ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void Paired_surrogates_are_text() => LogEntryBounds.Check("alice", "deployed 🚀").ShouldBeNull();

    [Fact]
    public async Task Too_long_message_from_chat_is_answered_and_nothing_stored()
    {
        var result = await SalTestData.Intake(_db.Entries, _signal).HandleChatAsync(ChannelPolicy.Open("#ops"), SalTestData.Alice, "!log tools " + new string('x', 1001), Ct);
        result!.Outcome.ShouldBe(LogOutcome.Invalid);
        result.Reply.ShouldContain("at most 1000");
        (await _db.Entries.ListAsync("tools", null, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Same_key_with_another_message_is_a_conflict_and_the_first_entry_stays()
    {
        var intake = SalTestData.Intake(_db.Entries, _signal);
        (await intake.SubmitAsync(new LogSubmission("tools", "first", "ci", "http", "k1"), Ct)).Outcome.ShouldBe(LogOutcome.Logged);
        (await intake.SubmitAsync(new LogSubmission("tools", "first", "ci", "http", "k1"), Ct)).Repeated.ShouldBeTrue();
        (await intake.SubmitAsync(new LogSubmission("tools", "second", "ci", "http", "k1"), Ct)).Outcome.ShouldBe(LogOutcome.Conflict);
        (await intake.SubmitAsync(new LogSubmission("deployment-prep", "first", "ci", "http", "k1"), Ct)).Outcome.ShouldBe(LogOutcome.Conflict);
        (await _db.Entries.ListAsync("tools", null, Ct)).ShouldHaveSingleItem().Message.ShouldBe("first");
    }

    private async Task<int> PostAsync(Stream body, long? contentLength = null)
    {
        var services = new ServiceCollection().AddSingleton(SalTestData.Intake(_db.Entries, _signal)).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Headers.Authorization = $"Bearer {Token}";
        context.Request.Body = body;
        context.Request.ContentLength = contentLength;
        context.Response.Body = new MemoryStream();
        await LogHttpEndpoint.HandleAsync(context, Token);
        return context.Response.StatusCode;
    }

    private static MemoryStream Json(object body) => new(JsonSerializer.SerializeToUtf8Bytes(body));

    [Fact]
    public async Task Http_answers_400_for_an_entry_out_of_bounds()
    {
        (await PostAsync(Json(new { project = "tools", message = new string('x', 1001) }))).ShouldBe(400);
        (await PostAsync(Json(new { project = "tools", message = "a\0b" }))).ShouldBe(400);
        (await PostAsync(Json(new { project = "tools", message = "ok", author = new string('a', 201) }))).ShouldBe(400);
        (await PostAsync(Json(new { project = "tools", message = "ok", id = new string('k', 101) }))).ShouldBe(400);
        (await _db.Entries.ListAsync("tools", null, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Http_answers_409_for_a_key_reused_with_another_message()
    {
        (await PostAsync(Json(new { project = "tools", message = "one", id = "deploy-7" }))).ShouldBe(200);
        (await PostAsync(Json(new { project = "tools", message = "one", id = "deploy-7" }))).ShouldBe(200);
        (await PostAsync(Json(new { project = "tools", message = "two", id = "deploy-7" }))).ShouldBe(409);
    }

    [Fact]
    public async Task Http_answers_413_for_a_large_body_without_a_length()
    {
        // What a chunked request looks like to the handler: no Content-Length, a long stream.
        var big = Encoding.UTF8.GetBytes("{\"project\":\"tools\",\"message\":\"" + new string('x', 70_000) + "\"}");
        (await PostAsync(new MemoryStream(big), contentLength: null)).ShouldBe(413);
        (await _db.Entries.ListAsync("tools", null, Ct)).ShouldBeEmpty();
    }
}
