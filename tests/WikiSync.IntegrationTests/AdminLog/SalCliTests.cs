using System.Net;
using System.Text.RegularExpressions;
using WikiSync.IntegrationTests.Support;
using WikiSync.IntegrationTests.Sync;

namespace WikiSync.IntegrationTests.AdminLog;

/// <summary>
/// <c>wikisync log</c> of an entry the real wiki refuses, and <c>wikisync sal list / retry / hide</c>, as
/// processes (the store the environment names: SQLite in the state folder, or PostgreSQL on that run).
/// </summary>
[Collection(SyncWikiCollection.Name)]
public sealed partial class SalCliTests(LocalWikiFixture wiki) : IDisposable
{
    private const string Spam = "WIKISYNC-SPAM-TEST";
    private readonly string _folder = Directory.CreateTempSubdirectory("wikisync-salcli-").FullName;
    private readonly string _project = "salcli-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string LogPage => $"Nova Resource:{_project}/SAL";

    private Dictionary<string, string> Environment()
    {
        var env = wiki.CliEnvironment(Path.Combine(_folder, "inventory.yaml"), _folder);
        File.WriteAllText(env["WIKISYNC_INVENTORY"], $"""
            projects:
              - name: {_project}
                description: "CLI refused test"
                members:
                  - user: Alice
                    role: projectadmin
            """);
        return env;
    }

    [GeneratedRegex(@"the wiki refused entry (\d+)")]
    private static partial Regex RefusedId();

    [Fact]
    public async Task A_refused_log_entry_exits_1_is_listed_as_refused_with_the_spam_reason_and_retry_and_hide_act_on_it()
    {
        var env = Environment();
        var salWiki = new SalWiki(wiki.Env, [_project]);

        var fine = await CliProcess.RunAsync(env, _folder, "log", _project, "restarted", "nginx", "--author", "root");
        var spam = await CliProcess.RunAsync(env, _folder, "log", _project, "buy", Spam, "now", "--author", "mallory");
        var after = await CliProcess.RunAsync(env, _folder, "log", _project, "cleared", "the", "cache", "--author", "root");

        fine.ExitCode.ShouldBe(0, fine.ToString());
        after.ExitCode.ShouldBe(0, after.ToString());
        after.Output.ShouldContain("published");
        spam.ExitCode.ShouldBe(1, spam.ToString());
        spam.Error.ShouldContain("spamprotectionmatch");
        var id = RefusedId().Match(spam.Error).Groups[1].Value;
        id.ShouldNotBeEmpty(spam.ToString());
        var text = WebUtility.HtmlDecode(await salWiki.TextAsync(LogPage));
        text.ShouldContain("root: restarted nginx");
        text.ShouldContain("root: cleared the cache");
        text.ShouldNotContain(Spam);
        var revisions = await salWiki.RevisionCountAsync(LogPage);

        var refused = await CliProcess.RunAsync(env, _folder, "sal", "list", "--refused");
        refused.ExitCode.ShouldBe(0, refused.ToString());
        var line = refused.Output.Split('\n').Where(l => l.StartsWith(id + " ", StringComparison.Ordinal)).ShouldHaveSingleItem();
        line.ShouldContain(_project);
        line.ShouldContain("mallory");
        line.ShouldContain("refused");
        line.ShouldContain("spamprotectionmatch");
        var all = await CliProcess.RunAsync(env, _folder, "sal", "list", _project);
        all.Output.ShouldContain("published");
        all.Output.Split('\n').Count(l => l.Contains(_project, StringComparison.Ordinal)).ShouldBe(3);

        // Retried while the wiki still refuses it: refused again, exit 1, and the page is untouched.
        var retry = await CliProcess.RunAsync(env, _folder, "sal", "retry", id);
        retry.ExitCode.ShouldBe(1, retry.ToString());
        retry.Error.ShouldContain("spamprotectionmatch");
        (await salWiki.RevisionCountAsync(LogPage)).ShouldBe(revisions);

        var hide = await CliProcess.RunAsync(env, _folder, "sal", "hide", id);
        hide.ExitCode.ShouldBe(0, hide.ToString());
        var hidden = await CliProcess.RunAsync(env, _folder, "sal", "list", "--hidden");
        hidden.Output.Split('\n').Where(l => l.StartsWith(id + " ", StringComparison.Ordinal)).ShouldHaveSingleItem().ShouldContain("hidden");
        (await CliProcess.RunAsync(env, _folder, "sal", "list", "--refused")).Output.ShouldNotContain(_project);
    }

    [Fact]
    public async Task Hiding_a_published_entry_drops_it_from_the_page_at_once_and_retry_shows_it_again()
    {
        var env = Environment();
        var salWiki = new SalWiki(wiki.Env, [_project]);
        (await CliProcess.RunAsync(env, _folder, "log", _project, "kept", "entry", "--author", "root")).ExitCode.ShouldBe(0);
        (await CliProcess.RunAsync(env, _folder, "log", _project, "secret", "hunter2", "--author", "root")).ExitCode.ShouldBe(0);
        var list = await CliProcess.RunAsync(env, _folder, "sal", "list", _project, "--limit", "1");
        var id = list.Output.Split('\n').Skip(1).First().Split(' ')[0];
        list.Output.ShouldContain("secret hunter2");

        var hide = await CliProcess.RunAsync(env, _folder, "sal", "hide", id);

        hide.ExitCode.ShouldBe(0, hide.ToString());
        var text = WebUtility.HtmlDecode(await salWiki.TextAsync(LogPage));
        text.ShouldNotContain("hunter2");
        text.ShouldContain("root: kept entry");
        var retry = await CliProcess.RunAsync(env, _folder, "sal", "retry", id);
        retry.ExitCode.ShouldBe(0, retry.ToString());
        WebUtility.HtmlDecode(await salWiki.TextAsync(LogPage)).ShouldContain("hunter2");
    }

    [Fact]
    public async Task Unknown_ids_and_an_entry_with_nothing_to_retry_exit_2_naming_the_id()
    {
        var env = Environment();
        (await CliProcess.RunAsync(env, _folder, "log", _project, "ordinary", "--author", "root")).ExitCode.ShouldBe(0);
        var id = (await CliProcess.RunAsync(env, _folder, "sal", "list", _project)).Output.Split('\n').Skip(1).First().Split(' ')[0];

        var retry = await CliProcess.RunAsync(env, _folder, "sal", "retry", "987654321");
        var hide = await CliProcess.RunAsync(env, _folder, "sal", "hide", "987654321");
        var nothing = await CliProcess.RunAsync(env, _folder, "sal", "retry", id);
        var notNumber = await CliProcess.RunAsync(env, _folder, "sal", "hide", "twelve");
        var badLimit = await CliProcess.RunAsync(env, _folder, "sal", "list", "--limit", "0");

        retry.ExitCode.ShouldBe(2, retry.ToString());
        retry.Error.ShouldContain("no Server Admin Log entry with id 987654321");
        hide.ExitCode.ShouldBe(2, hide.ToString());
        hide.Error.ShouldContain("987654321");
        nothing.ExitCode.ShouldBe(2, nothing.ToString());
        nothing.Error.ShouldContain($"entry {id} is published");
        notNumber.ExitCode.ShouldBe(2);
        badLimit.ExitCode.ShouldBe(2);
    }
}
