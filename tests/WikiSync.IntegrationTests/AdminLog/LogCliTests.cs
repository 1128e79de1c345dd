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
    public async Task The_log_page_title_is_the_job_files_and_entries_publish_without_anchors_in_the_template()
    {
        var env = Environment();
        // The operator's own jobs and templates: the full log moves to Project:NAME/Log and its template
        // writes no anchors. Nothing else changes, no C# either.
        var jobs = Path.Combine(_folder, "jobs");
        var templates = Path.Combine(_folder, "templates");
        CopyFolder(RepoPaths.Jobs, jobs);
        CopyFolder(RepoPaths.Templates, templates);
        var sal = Path.Combine(jobs, "sal.yaml");
        File.WriteAllText(sal, File.ReadAllText(sal).Replace("page: \"Nova Resource:{{ project.name }}/SAL\"", "page: \"Project:{{ project.name }}/Log\"", StringComparison.Ordinal));
        File.ReadAllText(sal).ShouldContain("Project:{{ project.name }}/Log");
        var template = Path.Combine(templates, "sal.sbn");
        File.WriteAllText(template, File.ReadAllText(template).Replace("{{ wiki.anchor e.anchor }}", "", StringComparison.Ordinal));
        env["WIKISYNC_JOBS"] = jobs;
        env["WIKISYNC_TEMPLATES"] = templates;

        var result = await CliProcess.RunAsync(env, _folder, "log", _project, "moved", "the", "log", "--author", "root");

        result.ExitCode.ShouldBe(0, result.ToString());
        var index = wiki.Env["WIKISYNC_WIKI_API"].Replace("api.php", "index.php", StringComparison.Ordinal);
        result.Output.ShouldContain($"Logged the message at {index}?title=Project:{_project}/Log, root");
        result.Output.ShouldContain("published");
        using var reader = new WikiSync.IntegrationTests.Hosting.TestWiki(wiki.Env["WIKISYNC_WIKI_API"]);
        var text = (await reader.RevisionsAsync($"Project:{_project}/Log"))[^1].Text;
        WebUtility.HtmlDecode(text).ShouldContain("root: moved the log");
        text.ShouldNotContain("<span id=\"sal-");
        // The store the process used: the state folder's SQLite file, or its database on a PostgreSQL run.
        var used = await TestStore.ApplyAsync(env);
        WikiSync.Storage.IStore store = used.TryGetValue("WIKISYNC_STORE", out var connection)
            ? new WikiSync.Storage.PostgresStore(connection)
            : new WikiSync.Storage.SqliteStore(env["WIKISYNC_DATA"]);
        var entries = new WikiSync.AdminLog.LogEntryStore(store);
        (await entries.ListUnpublishedAsync(_project, CancellationToken.None)).ShouldBeEmpty();
        (await entries.ListAsync(_project, null, CancellationToken.None)).ShouldHaveSingleItem().PublishedRevision.ShouldNotBeNull();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
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
