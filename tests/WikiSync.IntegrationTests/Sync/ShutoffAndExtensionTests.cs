using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Sync;

/// <summary>Issue 4 on the real wiki: the emergency stop page, and a new section with no C# change.</summary>
[Collection(SyncWikiCollection.Name)]
public sealed class ShutoffAndExtensionTests(LocalWikiFixture wiki) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wikisync-ext-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Dictionary<string, string> Environment(string project)
    {
        var inventory = Path.Combine(_folder, "inventory.yaml");
        File.WriteAllText(inventory, $"""
            projects:
              - name: {project}
                description: Extension test
                members: [{"{"} user: Alice, role: projectadmin {"}"}]
                instances:
                  - {"{"} name: web-1, puppet: [base, "nginx::server"] {"}"}
                  - {"{"} name: db-1, puppet: [base, "mariadb::server"] {"}"}
            """);
        return wiki.CliEnvironment(inventory, _folder);
    }

    [Fact]
    public async Task Shutoff_page_with_text_stops_edits_and_emptying_it_resumes_them()
    {
        var project = "shutoff-test-" + Guid.NewGuid().ToString("N")[..8];
        // A page of this test's own, so parallel tests elsewhere are not stopped.
        var shutoff = $"User:WikiSyncBot/Shutoff-{project}";
        var env = Environment(project);
        env["WIKISYNC_SHUTOFF_PAGE"] = shutoff;
        using var admin = await wiki.EditorClientAsync();
        await admin.EditAsync(shutoff, "Stop: the bot is misbehaving.");

        var stopped = await CliProcess.RunAsync(env, _folder, "sync", "--job", "instances", "--project", project);

        stopped.ExitCode.ShouldBe(0, stopped.ToString());
        stopped.Output.ShouldBe($"skipped Nova Resource:{project} (shutoff)\n", stopped.ToString());
        (await admin.ReadAsync($"Nova Resource:{project}")).Text.ShouldBeNull();

        await admin.EditAsync(shutoff, " \n");
        var resumed = await CliProcess.RunAsync(env, _folder, "sync", "--job", "instances", "--project", project);

        resumed.Output.ShouldBe($"created Nova Resource:{project} (instances)\n", resumed.ToString());
    }

    [Fact]
    public async Task New_section_is_one_template_and_one_job_file_with_no_code_change()
    {
        var project = "extension-test-" + Guid.NewGuid().ToString("N")[..8];
        var jobs = Directory.CreateDirectory(Path.Combine(_folder, "jobs")).FullName;
        var templates = Directory.CreateDirectory(Path.Combine(_folder, "templates")).FullName;
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Templates, "*.sbn"))
            File.Copy(file, Path.Combine(templates, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(templates, "puppet-classes.sbn"), """
            {{~ classes = [] ~}}
            {{~ for i in project.instances; classes = classes | array.add_range i.puppet; end ~}}
            {{~ for c in classes | array.uniq | array.sort ~}}
            * {{ c }}
            {{~ end ~}}
            """);
        File.WriteAllText(Path.Combine(jobs, "puppet.yaml"), """
            name: puppet
            schedule: { every: 1h }
            source: inventory
            template: puppet-classes
            page: "Nova Resource:{{ project.name }}"
            section: puppet
            create_pages: true
            placement: { under: Instances }
            """);
        var env = Environment(project);
        env["WIKISYNC_JOBS"] = jobs;
        env["WIKISYNC_TEMPLATES"] = templates;

        var check = await CliProcess.RunAsync(env, _folder, "check");
        var sync = await CliProcess.RunAsync(env, _folder, "sync");

        check.ExitCode.ShouldBe(0, check.ToString());
        sync.ExitCode.ShouldBe(0, sync.ToString());
        sync.Output.ShouldBe($"created Nova Resource:{project} (puppet)\n", sync.ToString());
        using var reader = await wiki.EditorClientAsync();
        var (text, _, _) = await reader.ReadAsync($"Nova Resource:{project}");
        text.ShouldNotBeNull();
        text.ShouldContain("<!-- wikisync:begin puppet -->\n* base\n* mariadb&#58;&#58;server\n* nginx&#58;&#58;server\n<!-- wikisync:end puppet -->");
        text.IndexOf("== Instances ==", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("wikisync:begin puppet", StringComparison.Ordinal));
        text.IndexOf("wikisync:begin puppet", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("== Members ==", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Broken_template_is_named_by_check_and_sync_runs_the_other_jobs()
    {
        var project = "broken-template-" + Guid.NewGuid().ToString("N")[..8];
        var templates = Directory.CreateDirectory(Path.Combine(_folder, "templates")).FullName;
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Templates, "*.sbn"))
            File.Copy(file, Path.Combine(templates, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(templates, "members.sbn"), "{{ for m in project.members }}\n* {{ m.user \n");
        var env = Environment(project);
        env["WIKISYNC_TEMPLATES"] = templates;

        var check = await CliProcess.RunAsync(env, _folder, "check");
        var sync = await CliProcess.RunAsync(env, _folder, "sync", "--job", "instances", "--job", "members", "--project", project);

        check.ExitCode.ShouldBe(2, check.ToString());
        check.Output.ShouldContain(Path.Combine(templates, "members.sbn") + ":2:");
        sync.ExitCode.ShouldBe(1, sync.ToString());
        sync.Output.ShouldBe($"created Nova Resource:{project} (instances)\n", sync.ToString());
        sync.Error.ShouldContain("job members skipped: " + Path.Combine(templates, "members.sbn") + ":2:");
    }
}
