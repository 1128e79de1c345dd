using Npgsql;
using WikiSync.IntegrationTests.Hosting;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Cluster;

/// <summary>
/// Issue 12 §2: a node (<c>wikisync run</c>) on PostgreSQL and the CLI (<c>wikisync log</c>, <c>wikisync sync</c>)
/// writing one page at the same time, through the one cluster-wide gate. The bot account never edit-conflicts
/// with itself, so without the gate one save silently undoes the other's section.
/// </summary>
[Collection(HostingProcessesCollection.Name)]
public sealed class EveryWriterGatedTests
{
    [Fact]
    public async Task A_node_and_the_cli_logging_and_syncing_in_parallel_leave_every_entry_and_every_section_on_the_page()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var work = new HostingWorkspace("1s", db.ConnectionString);
        // The SAL section lives on the same page as the node's scheduled desc section: both writers save it.
        File.WriteAllText(Path.Combine(work.Folder, "jobs", "sal.yaml"), $$$"""
            name: sal
            schedule: { every: 1s }
            source: sal
            template: sal
            page: "Hosting test {{{work.RunId}}} {{ project.name }}"
            section: sal
            create_pages: false
            """);
        File.Copy(Path.Combine(RepoPaths.Root, "templates", "sal.sbn"), Path.Combine(work.Folder, "templates", "sal.sbn"));
        using var editor = await work.EditorAsync();
        await editor.EditAsync(work.Page, HostingWorkspace.InitialText + "<!-- wikisync:begin sal -->\n<!-- wikisync:end sal -->\n");
        await work.MigrateAsync();
        await using var node = WikiSyncNode.Start("node", work.Environment(0), ScheduledRunTests.FreePortForTests(), "run");
        await node.WaitForLineAsync(l => l.Contains("Job desc fired", StringComparison.Ordinal), TimeSpan.FromSeconds(40));

        var cli = work.Environment(1);
        const int Entries = 8;
        var logging = Task.Run(async () =>
        {
            for (var i = 0; i < Entries; i++)
            {
                var (code, output) = await WikiSyncNode.RunAsync(cli, "log", "alpha", $"gated entry {i}", "--author", "tester");
                code.ShouldBe(0, output);
            }
        });
        var syncing = Task.Run(async () =>
        {
            for (var i = 0; i < 4; i++)
            {
                work.SetDescription($"cli change {i}");
                var (code, output) = await WikiSyncNode.RunAsync(cli, "sync");
                code.ShouldBe(0, output);
            }
        });
        await Task.WhenAll(logging, syncing);
        work.SetDescription("final");

        // Both writers are done with their part; the node brings the last description and publishes whatever waits.
        await ScheduledRunTests.WaitUntil(async () =>
        {
            var text = (await editor.RevisionsAsync(work.Page))[^1].Text;
            return text.Contains("Description: final", StringComparison.Ordinal)
                && Enumerable.Range(0, Entries).All(i => text.Contains($"gated entry {i}", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(60), () => node.Output);

        // No save ever took another writer's section away once it was there: each entry, once on the page, stays.
        var revisions = await editor.RevisionsAsync(work.Page);
        for (var i = 0; i < Entries; i++)
        {
            var marker = $"gated entry {i}";
            var first = revisions.ToList().FindIndex(r => r.Text.Contains(marker, StringComparison.Ordinal));
            first.ShouldBeGreaterThanOrEqualTo(0);
            revisions.Skip(first).All(r => r.Text.Contains(marker, StringComparison.Ordinal))
                .ShouldBeTrue($"{marker} was on the page and a later save took it away");
        }

        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM sal_entries WHERE published_revision IS NULL", connection);
        await ScheduledRunTests.WaitUntil(async () => (long)(await count.ExecuteScalarAsync())! == 0, TimeSpan.FromSeconds(30), () => node.Output);
    }
}
