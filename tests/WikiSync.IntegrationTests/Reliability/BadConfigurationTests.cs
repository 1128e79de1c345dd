using System.Text.RegularExpressions;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Reliability;

/// <summary>Issue 7: bad configuration names the file and line and the problem; one bad job never stops the others.</summary>
[Collection(LiveWikiCollection.Name)]
public sealed class BadConfigurationTests(LocalWikiFixture wiki)
{
    [Theory]
    [InlineData("projects:\n  - name: a\n    description: a: b\n  - name: b\n", 3)]
    [InlineData("projects:\n  - name: a\n    colour: red\n", 3)]
    [InlineData("projects:\n  - name: a\n    members: 42\n", 3)]
    [InlineData("projects:\n  - description: no name\n", 2)]
    public async Task A_bad_inventory_is_named_with_its_line(string yaml, int line)
    {
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 1);
        await File.WriteAllTextAsync(bed.Inventory, yaml);
        var run = await bed.SyncAsync();
        SyncBed.Keep("bad-configuration", run.Output);
        run.ExitCode.ShouldBe(2, run.Output);
        run.Output.ShouldMatch($@"inventory\.yaml:{line}\b");
    }

    [Fact]
    public async Task A_missing_inventory_file_is_named()
    {
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 1);
        File.Delete(bed.Inventory);
        var run = await bed.SyncAsync();
        run.ExitCode.ShouldBe(2, run.Output);
        run.Output.ShouldContain("inventory.yaml");
    }

    [Fact]
    public async Task A_broken_job_and_a_broken_template_are_named_and_the_other_jobs_run()
    {
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 1);
        var jobs = Path.Combine(bed.Folder, "jobs");
        var templates = Path.Combine(bed.Folder, "templates");
        CopyFolder(RepoPaths.Jobs, jobs);
        CopyFolder(RepoPaths.Templates, templates);
        await File.WriteAllTextAsync(Path.Combine(jobs, "typo.yaml"), "name: typo\nschedule: { every: 1m }\nsource: inventory\ntemplate: instances\npage: \"X {{ project.name }}\"\nsectoin: typo\n");
        await File.WriteAllTextAsync(Path.Combine(jobs, "broken.yaml"), "name: broken\nschedule: { every: 1m }\nsource: inventory\ntemplate: broken\npage: \"Nova Resource:{{ project.name }}\"\nsection: broken\n");
        await File.WriteAllTextAsync(Path.Combine(templates, "broken.sbn"), "fine line\n{{ for x in }}\n");
        var env = bed.Env;
        env["WIKISYNC_JOBS"] = jobs;
        env["WIKISYNC_TEMPLATES"] = templates;

        var check = await WikiSyncProcess.RunAsync(["check"], env);
        SyncBed.Keep("bad-configuration", check.Output);
        check.ExitCode.ShouldNotBe(0);
        check.Output.ShouldMatch(@"typo\.yaml:6");
        check.Output.ShouldMatch(@"broken\.sbn:2:\d+");

        var sync = await WikiSyncProcess.RunAsync(["sync"], env);
        SyncBed.Keep("bad-configuration", sync.Output);
        sync.Output.ShouldMatch(@"broken\.sbn:2:\d+");
        using var reader = new ApiSession(wiki.Api);
        (await reader.ReadAsync(bed.Titles[0])).Text.ShouldContain(bed.Projects[0].Instances[0].Name, customMessage: sync.Output);
        Regex.IsMatch(sync.Output, @"(updated|created) Nova Resource:").ShouldBeTrue(sync.Output);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
