using System.Net;
using WikiSync.IntegrationTests.Support;
using WikiSync.IntegrationTests.Sync;

namespace WikiSync.IntegrationTests.AdminLog;

/// <summary><c>wikisync log</c> and <c>wikisync store migrate</c> as processes, on the real wiki.</summary>
[Collection(SyncWikiCollection.Name)]
public sealed class LogCliTests(LocalWikiFixture wiki) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wikisync-logcli-").FullName;
    private readonly string _project = "logcli-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Dictionary<string, string> Environment()
    {
        var env = wiki.CliEnvironment(Path.Combine(_folder, "inventory.yaml"), _folder);
        File.WriteAllText(env["WIKISYNC_INVENTORY"], $"""
            projects:
              - name: {_project}
                description: "CLI log test"
                members:
                  - user: Alice
                    role: projectadmin
            """);
        return env;
    }

    [Fact]
    public async Task Log_records_and_publishes_with_the_message_and_author_as_summary()
    {
        var env = Environment();

        var result = await CliProcess.RunAsync(env, _folder, "log", _project, "upgraded", "the", "kernel", "--author", "root");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain($"Logged the message at {wiki.Env["WIKISYNC_WIKI_API"].Replace("api.php", "index.php", StringComparison.Ordinal)}?title=Nova_Resource:{_project}/SAL, root");
        result.Output.ShouldContain("published");
        var salWiki = new SalWiki(wiki.Env, [_project]);
        var title = $"Nova Resource:{_project}/SAL";
        WebUtility.HtmlDecode(await salWiki.TextAsync(title)).ShouldContain("root: upgraded the kernel");
        var revisions = await salWiki.Site.GetRevisionsAsync(title, CancellationToken.None);
        revisions.ShouldContain(r => r.Comment == "upgraded the kernel (root)");
        result.ToString().ShouldNotContain(wiki.Env["WIKISYNC_WIKI_PASSWORD"]);
    }

    [Fact]
    public async Task Log_refuses_unknown_project_and_empty_message_with_exit_1_and_stores_nothing()
    {
        var env = Environment();

        var unknown = await CliProcess.RunAsync(env, _folder, "log", "no-such-project", "hello");
        var empty = await CliProcess.RunAsync(env, _folder, "log", _project);

        unknown.ExitCode.ShouldBe(1);
        unknown.Error.ShouldContain("Unknown project \"no-such-project\"");
        empty.ExitCode.ShouldBe(1);
        empty.Error.ShouldContain("Message missing. Nothing logged.");
    }

    [Fact]
    public async Task Log_refuses_a_message_over_1000_characters_with_exit_2()
    {
        var result = await CliProcess.RunAsync(Environment(), _folder, "log", _project, new string('x', 1001));

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Error.ShouldContain("at most 1000");
    }

    [Fact]
    public async Task Store_migrate_twice_is_harmless()
    {
        var env = Environment();

        var first = await CliProcess.RunAsync(env, _folder, "store", "migrate");
        var second = await CliProcess.RunAsync(env, _folder, "store", "migrate");

        first.ExitCode.ShouldBe(0, first.ToString());
        first.Output.ShouldContain("applied 1 initial");
        second.ExitCode.ShouldBe(0, second.ToString());
        second.Output.ShouldContain("schema already at version");
    }
}
