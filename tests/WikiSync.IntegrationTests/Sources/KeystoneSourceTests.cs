using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.IntegrationTests.Support;
using WikiSync.Model;
using WikiSync.Sources;
using WikiSync.Sources.OpenStack;

namespace WikiSync.IntegrationTests.Sources;

/// <summary>
/// Projects and members from the real Keystone of scripts/local-openstack.sh, read as the read-only account
/// (reader on bots, tools and domain Default): the seeded projects with their descriptions, the disabled
/// archive skipped or marked, bots' members with their roles (carol's through the group bots-admins), and the
/// members section `wikisync sync` writes with the shipped templates.
/// </summary>
[Collection(OpenStackCollection.Name)]
public sealed class KeystoneSourceTests(OpenStackFixture cloud, LocalWikiFixture wiki)
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(10);
    private const CloudAspects Keystone = CloudAspects.Projects | CloudAspects.Members;

    private static async Task<Inventory> CollectAsync(OpenStackOptions options, CloudAspects aspects, CancellationToken ct)
    {
        using var http = new HttpClient();
        return await new OpenStackInventorySource(http, options, TimeProvider.System, NullLogger<OpenStackInventorySource>.Instance, aspects)
            .CollectAsync(ct);
    }

    [Fact]
    public async Task Projects_come_with_their_descriptions_and_the_disabled_archive_is_left_out()
    {
        using var budget = new CancellationTokenSource(Budget);

        var inventory = await CollectAsync(cloud.ReaderOptions, Keystone, budget.Token);

        inventory.Find("bots").ShouldNotBeNull().Description.ShouldBe("IRC and wiki bots of the community");
        inventory.Find("tools").ShouldNotBeNull().Description.ShouldBe("Shared tools: dashboards, query services and small web apps");
        inventory.Find("service").ShouldNotBeNull().Description.ShouldBe("Service accounts of the OpenStack services");
        inventory.Find("archive").ShouldBeNull();
        inventory.Projects.ShouldAllBe(p => p.Enabled);
    }

    [Fact]
    public async Task With_disabled_projects_mark_the_archive_is_kept_and_marked()
    {
        using var budget = new CancellationTokenSource(Budget);

        var inventory = await CollectAsync(cloud.ReaderOptions with { DisabledProjects = OpenStackOptions.MarkDisabled }, Keystone, budget.Token);

        var archive = inventory.Find("archive").ShouldNotBeNull();
        archive.Enabled.ShouldBeFalse();
        archive.Description.ShouldBe("Retired project kept for its history");
        inventory.Find("bots").ShouldNotBeNull().Enabled.ShouldBeTrue();
    }

    [Fact]
    public async Task Members_of_a_project_come_with_their_roles_including_a_role_through_a_group()
    {
        using var budget = new CancellationTokenSource(Budget);

        var inventory = await CollectAsync(cloud.ReaderOptions, Keystone, budget.Token);

        var bots = inventory.Find("bots").ShouldNotBeNull();
        // carol holds admin on bots only as a member of the group bots-admins; Keystone adds the implied roles.
        bots.Members.Select(m => (m.User, m.Role, string.Join(",", m.Roles))).ShouldBe([
            ("carol", "admin", "admin,member,reader"),
            ("alice", "member", "member,reader"),
            ("wikisync", "reader", "reader"),
        ]);
        inventory.Find("tools").ShouldNotBeNull().Members.Select(m => (m.User, m.Role)).ShouldBe([("bob", "member"), ("alice", "reader"), ("wikisync", "reader")]);
    }

    [Fact]
    public async Task The_admin_reads_keystone_with_its_project_token_and_the_same_members()
    {
        using var budget = new CancellationTokenSource(Budget);

        var inventory = await CollectAsync(cloud.AdminOptions, Keystone, budget.Token);

        inventory.Find("bots").ShouldNotBeNull().Members.Select(m => m.User).ShouldBe(["carol", "alice", "wikisync"]);
    }

    [Fact]
    public async Task A_project_scoped_reader_is_refused_by_keystone_and_told_which_role_is_missing()
    {
        using var budget = new CancellationTokenSource(Budget);
        var options = cloud.ReaderOptions with { KeystoneDomain = null, ProjectName = "bots" };

        var e = await Should.ThrowAsync<SourceException>(() => CollectAsync(options, Keystone, budget.Token));

        e.Message.ShouldContain("answered 403");
        e.Message.ShouldContain("identity:list_projects");
        e.Message.ShouldContain("set openstack.keystone_domain");
    }

    [Fact]
    public async Task Sync_writes_the_members_section_from_keystone_with_the_shipped_templates()
    {
        using var budget = new CancellationTokenSource(Budget);
        var folder = Path.Combine(Path.GetTempPath(), "wikisync-keystone-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            // Everything from the cloud, configured as an operator would: the variables `env` prints.
            var env = wiki.CliEnvironment(Path.Combine(folder, "no-inventory.yaml"), folder);
            env.Remove("WIKISYNC_INVENTORY");
            foreach (var (key, value) in cloud.ReaderEnvironment)
                env[key] = value;
            env["WIKISYNC_SOURCES_PROJECTS"] = "keystone";
            env["WIKISYNC_SOURCES_MEMBERS"] = "keystone";
            env["WIKISYNC_SOURCES_INSTANCES"] = "openstack";

            var run = await WikiSyncProcess.RunAsync(["sync", "--job", "members"], env, clean: true, ct: budget.Token);

            run.ExitCode.ShouldBe(0, run.Output);
            var text = await SectionAsync("Nova Resource:bots", "members", budget.Token);
            text.ShouldContain("|carol]] (admin)");
            text.ShouldContain("|alice]] (member)");
            text.ShouldContain("|wikisync]] (reader)");
            (await wiki.CountRevisionsAsync("Nova Resource:archive", budget.Token)).ShouldBe(0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<string> SectionAsync(string title, string section, CancellationToken ct)
    {
        var revisions = await wiki.GetRevisionsAsync(title, ct);
        revisions.ShouldNotBeEmpty();
        var text = revisions[^1].Text;
        var start = text.IndexOf($"<!-- wikisync:begin {section} -->", StringComparison.Ordinal);
        var end = text.IndexOf($"<!-- wikisync:end {section} -->", StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, text);
        return text[start..end];
    }
}
