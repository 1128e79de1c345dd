using WikiSync.Configuration;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Sync;

/// <summary>The CLI's contract (exit codes, one line per page, no secret in any output) on the real wiki.</summary>
[Collection(SyncWikiCollection.Name)]
public sealed class CliOnRealWikiTests(LocalWikiFixture wiki) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wikisync-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string NewProject() => "cli-test-" + Guid.NewGuid().ToString("N")[..10];

    private Dictionary<string, string> Environment(string inventory)
    {
        var env = wiki.CliEnvironment(Path.Combine(_folder, "inventory.yaml"), _folder);
        File.WriteAllText(env["WIKISYNC_INVENTORY"], inventory);
        return env;
    }

    private static string Inventory(string project, string description = "A test project", string member = "Alice", string instance = "vm-1") => $"""
        projects:
          - name: {project}
            description: "{description}"
            members:
              - user: "{member}"
                role: projectadmin
            instances:
              - name: "{instance}"
                state: ACTIVE
                ip: 172.16.0.1
                puppet: [base]
        """;

    private void ShouldHoldNoSecret(CliProcess.Result result)
    {
        foreach (var secret in wiki.Env.Where(e => e.Key.EndsWith("PASSWORD", StringComparison.Ordinal)).Select(e => e.Value))
        {
            result.Output.ShouldNotContain(secret);
            result.Error.ShouldNotContain(secret);
        }
    }

    [Fact]
    public async Task Sync_prints_one_line_per_page_and_a_second_sync_is_unchanged()
    {
        var project = NewProject();
        var env = Environment(Inventory(project));

        var first = await CliProcess.RunAsync(env, _folder, "sync", "--job", "instances", "--job", "members", "--project", project);
        var second = await CliProcess.RunAsync(env, _folder, "sync", "--job", "instances", "--job", "members", "--project", project);

        first.ExitCode.ShouldBe(0, first.ToString());
        first.Output.ShouldBe($"created Nova Resource:{project} (instances, members)\n", first.ToString());
        second.ExitCode.ShouldBe(0, second.ToString());
        second.Output.ShouldBe($"unchanged Nova Resource:{project} (instances, members)\n", second.ToString());
        ShouldHoldNoSecret(first);
        ShouldHoldNoSecret(second);
    }

    [Fact]
    public async Task Broken_markers_leave_the_page_untouched_exit_1_and_print_the_reason()
    {
        var project = NewProject();
        var good = NewProject();
        var title = $"Nova Resource:{project}";
        using var editor = await wiki.EditorClientAsync();
        await editor.EditAsync(title, "Intro\n<!-- wikisync:begin instances -->\nno end marker here\n\nOutro");
        var before = await editor.HistoryAsync(title);
        var env = Environment(Inventory(project) + Inventory(good)[9..]);

        var result = await CliProcess.RunAsync(env, _folder, "sync", "--job", "instances", "--job", "members");

        result.ExitCode.ShouldBe(1, result.ToString());
        var line = result.Output.Split('\n').Single(l => l.Contains(title + " ", StringComparison.Ordinal) || l.EndsWith(title, StringComparison.Ordinal));
        line.ShouldStartWith($"failed {title} (");
        line.ShouldContain("line 2");
        result.Output.ShouldContain($"created Nova Resource:{good} (instances, members)");
        (await editor.HistoryAsync(title)).Count.ShouldBe(before.Count);
        ShouldHoldNoSecret(result);
    }

    [Fact]
    public async Task Dry_run_prints_a_unified_diff_and_writes_nothing()
    {
        var project = NewProject();
        var env = Environment(Inventory(project));

        var result = await CliProcess.RunAsync(env, _folder, "sync", "--dry-run", "--job", "instances", "--project", project);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldStartWith($"created Nova Resource:{project} (instances)\n--- a/Nova Resource:{project}\n+++ b/Nova Resource:{project}\n");
        result.Output.ShouldContain("+<!-- wikisync:begin instances -->");
        using var editor = await wiki.EditorClientAsync();
        (await editor.ReadAsync($"Nova Resource:{project}")).Text.ShouldBeNull();
    }

    [Theory]
    [InlineData("sync", "--no-such-option")]
    [InlineData("sync", "--job")]
    [InlineData("no-such-verb")]
    [InlineData("render", "--project", "x")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var result = await CliProcess.RunAsync(Environment(Inventory(NewProject())), _folder, args);

        result.ExitCode.ShouldBe(2, result.ToString());
    }

    [Fact]
    public async Task Bad_configuration_exits_2_naming_file_and_line()
    {
        var env = Environment("projects:\n  - name: x\n    colour: red\n");

        var result = await CliProcess.RunAsync(env, _folder, "sync");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Error.ShouldContain($"{env["WIKISYNC_INVENTORY"]}:3:5: unknown key \"colour\"");
    }

    [Fact]
    public async Task Check_validates_everything_and_logs_in()
    {
        var result = await CliProcess.RunAsync(Environment(Inventory(NewProject())), _folder, "check");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("ok wiki");
        ShouldHoldNoSecret(result);
    }

    [Fact]
    public async Task Check_exits_1_when_the_wiki_refuses_the_login()
    {
        var env = Environment(Inventory(NewProject()));
        env["WIKISYNC_WIKI_PASSWORD"] = "0123456789abcdefghijklmnopqrstuv";

        var result = await CliProcess.RunAsync(env, _folder, "check");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Output.ShouldNotContain("0123456789abcdefghijklmnopqrstuv");
    }

    [Fact]
    public async Task Render_prints_the_section_wikitext()
    {
        var project = NewProject();

        var result = await CliProcess.RunAsync(Environment(Inventory(project, member: "Zoë")), _folder, "render", "--job", "members", "--project", project);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("Zoë");
        RepositoryPaths.RepositoryRoot(_folder).ShouldBeNull();
    }

    [Fact]
    public async Task Section_removed_by_an_editor_is_reported_and_not_put_back()
    {
        var project = NewProject();
        var title = $"Nova Resource:{project}";
        var env = Environment(Inventory(project));
        var first = await CliProcess.RunAsync(env, _folder, "sync", "--job", "instances", "--job", "members", "--project", project);
        first.ExitCode.ShouldBe(0, first.ToString());
        using var editor = await wiki.EditorClientAsync();
        var (text, _, _) = await editor.ReadAsync(title);
        var start = text!.IndexOf("<!-- wikisync:begin members -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- wikisync:end members -->", StringComparison.Ordinal) + "<!-- wikisync:end members -->".Length;
        await editor.EditAsync(title, text[..start] + "Members are listed elsewhere." + text[end..]);
        var revisions = (await editor.HistoryAsync(title)).Count;

        var second = await CliProcess.RunAsync(env, _folder, "sync", "--job", "instances", "--job", "members", "--project", project);

        second.ExitCode.ShouldBe(0, second.ToString());
        second.Output.ShouldBe($"skipped {title} (section members removed by an editor, not put back)\n", second.ToString());
        (await editor.HistoryAsync(title)).Count.ShouldBe(revisions);
    }
}
