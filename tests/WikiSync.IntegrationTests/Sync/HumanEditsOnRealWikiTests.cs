using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Sync;

/// <summary>Issue 15 §2 through the <c>wikisync sync</c> process: the Editor account edits inside a generated section.</summary>
[Collection(SyncWikiCollection.Name)]
public sealed class HumanEditsOnRealWikiTests(LocalWikiFixture wiki) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wikisync-human-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Dictionary<string, string> Environment(string project, string? humanEdits = null)
    {
        var env = wiki.CliEnvironment(Path.Combine(_folder, "inventory.yaml"), _folder);
        File.WriteAllText(env["WIKISYNC_INVENTORY"], $"""
            projects:
              - name: {project}
                description: "A test project"
                members:
                  - user: "Alice"
                    role: projectadmin
                instances:
                  - name: "vm-1"
                    state: ACTIVE
                    ip: 172.16.0.1
            """);
        if (humanEdits is not null)
        {
            var jobs = Directory.CreateDirectory(Path.Combine(_folder, "jobs")).FullName;
            foreach (var file in Directory.EnumerateFiles(RepoPaths.Jobs, "*.yaml"))
                File.Copy(file, Path.Combine(jobs, Path.GetFileName(file)), overwrite: true);
            var instances = Path.Combine(jobs, "instances.yaml");
            File.WriteAllText(instances, File.ReadAllText(instances).Replace("human_edits: replace", $"human_edits: {humanEdits}", StringComparison.Ordinal));
            env["WIKISYNC_JOBS"] = jobs;
        }
        return env;
    }

    private async Task<CliProcess.Result> SyncAsync(Dictionary<string, string> env, string project, params string[] more)
    {
        var result = await CliProcess.RunAsync(env, _folder, ["sync", "--job", "instances", "--job", "members", "--project", project, .. more]);
        result.ExitCode.ShouldBe(0, result.ToString());
        return result;
    }

    /// <summary>The Editor adds a line inside the instances section; returns the revision.</summary>
    private static async Task<long> EditInsideInstancesAsync(ApiClient editor, string title)
    {
        var text = (await editor.ReadAsync(title)).Text!;
        return await editor.EditAsync(title, text.Replace("<!-- wikisync:begin instances -->\n", "<!-- wikisync:begin instances -->\nA note by hand.\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_replaces_an_edit_inside_a_section_and_names_the_editor_and_revision()
    {
        var project = "human-" + Guid.NewGuid().ToString("N")[..10];
        var title = $"Nova Resource:{project}";
        var env = Environment(project);
        await SyncAsync(env, project);
        using var editor = await wiki.EditorClientAsync();
        var human = await EditInsideInstancesAsync(editor, title);

        var result = await SyncAsync(env, project);

        var replaced = $"replaced an edit by Editor in r{human} inside section instances";
        result.Output.ShouldBe($"updated {title} (instances; {replaced})\n", result.ToString());
        var saved = (await editor.HistoryAsync(title))[^1];
        saved.User.ShouldStartWith("WikiSyncBot");
        saved.Comment.ShouldBe($"WikiSync: update instances; {replaced}");
        saved.Text.ShouldNotContain("A note by hand.");
        (await SyncAsync(env, project)).Output.ShouldBe($"unchanged {title} (instances, members)\n");
    }

    [Fact]
    public async Task With_keep_the_section_is_held_and_reported_until_taken_back()
    {
        var project = "held-" + Guid.NewGuid().ToString("N")[..10];
        var title = $"Nova Resource:{project}";
        var env = Environment(project, "keep");
        await SyncAsync(env, project);
        using var editor = await wiki.EditorClientAsync();
        var human = await EditInsideInstancesAsync(editor, title);
        var revisions = (await editor.HistoryAsync(title)).Count;

        var held = await SyncAsync(env, project);
        var again = await SyncAsync(env, project);

        var line = $"held {title} (section instances edited by Editor in r{human})\n";
        held.Output.ShouldBe(line, held.ToString());
        again.Output.ShouldBe(line, again.ToString());
        (await editor.HistoryAsync(title)).Count.ShouldBe(revisions);
        (await editor.ReadAsync(title)).Text!.ShouldContain("A note by hand.");

        var taken = await SyncAsync(env, project, "--take-back", title);

        taken.Output.ShouldBe($"updated {title} (instances; replaced an edit by Editor in r{human} inside section instances)\n", taken.ToString());
        var saved = (await editor.HistoryAsync(title))[^1];
        saved.Comment.ShouldContain($"replaced an edit by Editor in r{human} inside section instances");
        saved.Text.ShouldNotContain("A note by hand.");
    }

    [Fact]
    public async Task Take_back_of_a_page_no_job_writes_exits_1_and_says_so()
    {
        var project = "held-" + Guid.NewGuid().ToString("N")[..10];
        var env = Environment(project, "keep");

        var result = await CliProcess.RunAsync(env, _folder, "sync", "--job", "instances", "--project", project, "--take-back", "Nova Resource:nobody-" + project);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Error.ShouldContain($"--take-back \"Nova Resource:nobody-{project}\": no job of this pass writes that page");
    }
}
