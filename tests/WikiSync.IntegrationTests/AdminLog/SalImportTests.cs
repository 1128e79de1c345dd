using System.Globalization;
using System.Net;
using WikiSync.IntegrationTests.Support;
using WikiSync.IntegrationTests.Sync;

namespace WikiSync.IntegrationTests.AdminLog;

/// <summary><c>wikisync sal import</c> as a process, from pages an editor wrote on the real wiki.</summary>
[Collection(SyncWikiCollection.Name)]
public sealed class SalImportTests(LocalWikiFixture wiki) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wikisync-salimport-").FullName;
    private readonly string _project = "salimport-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string LogTitle => $"Nova Resource:{_project}/SAL";

    private static string Day(int daysAgo) => DateTime.UtcNow.AddDays(-daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private Dictionary<string, string> Environment()
    {
        var env = wiki.CliEnvironment(Path.Combine(_folder, "inventory.yaml"), _folder);
        File.WriteAllText(env["WIKISYNC_INVENTORY"], $"""
            projects:
              - name: {_project}
                description: "SAL import test"
                members:
                  - user: Alice
                    role: projectadmin
            """);
        return env;
    }

    private async Task WritePagesAsync(bool brokenArchive)
    {
        using var editor = await wiki.EditorAsync();
        await editor.EditAsync(LogTitle, $"""
            The log of {_project}, kept by hand until now.

            == {Day(0)} ==
            * 10:15 alice: restarted <nowiki>[[x]]</nowiki> things
            * {"{{"}SAL entry|1=09:00 bob: deployed a{"{{"}!{"}}"}b{"}}"}

            == {Day(1)} ==
            * 23:59 carol: rebooted db1

            See [[/Archive 1|older entries]].

            [[Category:SAL import test]]
            """);
        await editor.EditAsync(LogTitle + "/Archive 1", $"""
            == 2015-03-05 ==
            * 23:40 ori: restarted hhvm on mw1111
            {(brokenArchive ? "* ori forgot the time" : "")}
            """);
    }

    [Fact]
    public async Task Import_reads_the_page_and_its_archive_reports_the_bad_line_and_a_second_import_adds_nothing()
    {
        var env = Environment();
        await WritePagesAsync(brokenArchive: true);

        var dry = await CliProcess.RunAsync(env, _folder, "sal", "import", _project, "--from-page", LogTitle, "--dry-run");
        var first = await CliProcess.RunAsync(env, _folder, "sal", "import", _project, "--from-page", LogTitle);
        var second = await CliProcess.RunAsync(env, _folder, "sal", "import", _project, "--from-page", LogTitle);

        dry.ExitCode.ShouldBe(0, dry.ToString());
        dry.Output.ShouldContain("read 4 entries");
        dry.Output.ShouldContain("would add 4, already stored 0");
        dry.Error.ShouldContain($"{LogTitle}/Archive 1:3: not an entry");
        first.ExitCode.ShouldBe(1, first.ToString());
        first.Output.ShouldContain("added 4, already stored 0");
        first.Error.ShouldContain($"{LogTitle}/Archive 1:3");
        second.Output.ShouldContain("added 0, already stored 4");

        // The entries keep their own time, author and text: the sal section renders them as written.
        var sync = await CliProcess.RunAsync(env, _folder, "sync", "--job", "sal", "--project", _project, "--dry-run");
        sync.Output.ShouldContain($"alice: restarted");
        sync.Output.ShouldContain("bob: deployed a");
    }

    [Fact]
    public async Task Take_over_replaces_the_hand_kept_log_by_the_generated_section_in_one_edit_keeping_the_text_around_it()
    {
        var env = Environment();
        await WritePagesAsync(brokenArchive: false);
        var before = await wiki.Bot.GetRevisionsAsync(LogTitle, CancellationToken.None);

        var result = await CliProcess.RunAsync(env, _folder, "sal", "import", _project, "--from-page", LogTitle, "--take-over");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("added 4");
        result.Output.ShouldContain($"took over {LogTitle}");
        var after = await wiki.Bot.GetRevisionsAsync(LogTitle, CancellationToken.None);
        after.Count.ShouldBe(before.Count + 1);
        var text = WebUtility.HtmlDecode(after[^1].Text);
        text.ShouldStartWith($"The log of {_project}, kept by hand until now.");
        text.ShouldEndWith("[[Category:SAL import test]]");
        text.ShouldContain("See [[/Archive 1|older entries]].");
        text.ShouldContain("<!-- wikisync:begin sal -->");
        text.ShouldNotContain("* 10:15 alice:");
        text.ShouldContain("alice: restarted");
        text.ShouldContain("carol: rebooted db1");
        text.IndexOf("kept by hand", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("wikisync:begin sal", StringComparison.Ordinal));
        text.IndexOf("wikisync:end sal", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("See [[/Archive 1", StringComparison.Ordinal));

        // The next pass finds its section where the take-over put it and leaves the page as it is.
        var sync = await CliProcess.RunAsync(env, _folder, "sync", "--job", "sal", "--project", _project);
        sync.ExitCode.ShouldBe(0, sync.ToString());
        (await wiki.Bot.GetRevisionsAsync(LogTitle, CancellationToken.None)).Count.ShouldBe(after.Count);
    }
}
