using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.IntegrationTests.Support;
using WikiSync.Model;
using WikiSync.Sources.OpenStack;

namespace WikiSync.IntegrationTests.Sources;

/// <summary>
/// The OpenStack source against the real cloud of scripts/local-openstack.sh: servers booted with the fake virt
/// driver in project bots, read back through both logins and both listings, then through `wikisync sync` onto the
/// real wiki.
/// </summary>
[Collection(OpenStackCollection.Name)]
public sealed class OpenStackInventorySourceTests(OpenStackFixture cloud, LocalWikiFixture wiki)
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(15);

    private const string Other = "ci-narrowed";

    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..8];

    private static OpenStackInventorySource Source(OpenStackOptions options, HttpClient http) =>
        new(http, options, TimeProvider.System, NullLogger<OpenStackInventorySource>.Instance);

    private static async Task<Project> BotsAsync(OpenStackOptions options)
    {
        using var http = new HttpClient();
        return (await Source(options, http).CollectAsync(default)).Find("bots").ShouldNotBeNull();
    }

    private static void ShouldBeTheBootedWebServer(Instance web, string id, DateTimeOffset bootedAfter)
    {
        web.Id.ShouldBe(id);
        web.State.ShouldBe("ACTIVE");
        web.Addresses.ShouldHaveSingleItem().ShouldStartWith("172.16.0.");
        web.Image.ShouldBe(OpenStackFixture.Image);
        web.Flavor.ShouldBe("m1.small");
        web.Created.ShouldNotBeNull().ShouldBeGreaterThan(bootedAfter.AddMinutes(-2));
        web.Puppet.ShouldBe(["role::web", "profile::base"]);
        web.Metadata["owner"].ShouldBe("ci");
        web.PowerState.ShouldBe("RUNNING");
        web.TaskState.ShouldBe("");
        web.VmState.ShouldBe("active");
    }

    [Fact]
    public async Task Booted_servers_come_back_with_image_and_flavor_names_through_both_logins_and_both_listings()
    {
        using var budget = new CancellationTokenSource(Budget);
        var before = DateTimeOffset.UtcNow;
        var web = await cloud.BootAsync(_prefix + "-web", "m1.small",
            new Dictionary<string, string> { ["puppet_classes"] = "role::web, profile::base", ["owner"] = "ci" }, budget.Token);
        var irc = await cloud.BootAsync(_prefix + "-irc", "m1.tiny", new Dictionary<string, string>(), budget.Token);
        try
        {
            // Password login, the admin listing of every project, names and descriptions from Keystone.
            using var http = new HttpClient();
            var inventory = await Source(cloud.AdminOptions, http).CollectAsync(budget.Token);
            var bots = inventory.Find("bots").ShouldNotBeNull();
            bots.Description.ShouldBe("IRC and wiki bots of the community");
            inventory.Find("tools").ShouldNotBeNull().Description.ShouldStartWith("Shared tools");
            inventory.Find("archive").ShouldNotBeNull();
            ShouldBeTheBootedWebServer(bots.Instances.Single(i => i.Name == _prefix + "-web"), web, before);
            var ircServer = bots.Instances.Single(i => i.Name == _prefix + "-irc");
            ircServer.Id.ShouldBe(irc);
            ircServer.Flavor.ShouldBe("m1.tiny");
            ircServer.Puppet.ShouldBeEmpty();

            // The read-only application credential, the project-scoped listing.
            var scoped = await BotsAsync(cloud.ApplicationCredentialOptions);
            ShouldBeTheBootedWebServer(scoped.Instances.Single(i => i.Name == _prefix + "-web"), web, before);
            scoped.Instances.ShouldContain(i => i.Id == irc);

            // The read-only account `env` prints: reader role, project by project.
            var reader = await BotsAsync(cloud.ReaderOptions);
            reader.Instances.Select(i => i.Id).ShouldBe(scoped.Instances.Select(i => i.Id));
        }
        finally
        {
            await cloud.DeleteServerAsync(web, wait: false, CancellationToken.None);
            await cloud.DeleteServerAsync(irc, wait: false, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_collection_for_one_project_reads_its_servers_from_nova_and_keeps_the_other_projects_as_last_listed()
    {
        using var budget = new CancellationTokenSource(Budget);
        var booted = new List<string>();
        try
        {
            var gone = await cloud.BootAsync(_prefix + "-gone", "m1.tiny", new Dictionary<string, string>(), budget.Token);
            booted.Add(gone);
            // A project of the tests' own: the admin gets a role on it to boot there, which the seeded projects must not get.
            await cloud.EnsureProjectAsync(Other, "WikiSync integration tests", budget.Token);
            var other = await cloud.BootInAsync(Other, _prefix + "-other", "m1.tiny", budget.Token);
            booted.Add(other);
            using var http = new HttpClient();
            var source = Source(cloud.AdminOptions, http);
            (await source.CollectAsync(budget.Token)).Find(Other).ShouldNotBeNull().Instances.ShouldContain(i => i.Id == other);

            var added = await cloud.BootAsync(_prefix + "-added", "m1.tiny", new Dictionary<string, string>(), budget.Token);
            booted.Add(added);
            await cloud.DeleteServerAsync(gone, wait: true, budget.Token);
            await cloud.DeleteServerAsync(other, wait: true, budget.Token);
            var narrowed = await source.CollectAsync(["bots"], budget.Token);

            var bots = narrowed.Find("bots").ShouldNotBeNull().Instances.Where(i => i.Name.StartsWith(_prefix, StringComparison.Ordinal)).ToList();
            bots.Select(i => i.Id).ShouldBe([added]);
            bots.Single().Image.ShouldBe(OpenStackFixture.Image);
            narrowed.Find(Other).ShouldNotBeNull().Instances.ShouldContain(i => i.Id == other);

            (await source.CollectAsync(budget.Token)).Find(Other).ShouldNotBeNull().Instances.ShouldNotContain(i => i.Id == other);
        }
        finally
        {
            foreach (var id in booted)
                await cloud.DeleteServerAsync(id, wait: false, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Sync_writes_the_instances_section_from_the_cloud_and_a_deleted_server_is_gone_after_the_next_pass()
    {
        using var budget = new CancellationTokenSource(Budget);
        var web = await cloud.BootAsync(_prefix + "-web", "m1.small",
            new Dictionary<string, string> { ["puppet_classes"] = "role::web, profile::base" }, budget.Token);
        var irc = await cloud.BootAsync(_prefix + "-irc", "m1.tiny", new Dictionary<string, string>(), budget.Token);
        var folder = Path.Combine(Path.GetTempPath(), "wikisync-" + _prefix);
        Directory.CreateDirectory(folder);
        try
        {
            var inventory = Path.Combine(folder, "inventory.yaml");
            InventoryFile.Write(inventory, [new InventoryProject("bots", "IRC and wiki bots", [], [])]);
            var env = wiki.CliEnvironment(inventory, folder);
            foreach (var (key, value) in cloud.AdminEnvironment)
                env[key] = value;
            env["WIKISYNC_SOURCES_INSTANCES"] = "openstack";
            var address = (await BotsAsync(cloud.AdminOptions)).Instances.Single(i => i.Id == web).Ip;

            var first = await WikiSyncProcess.RunAsync(["sync", "--job", "instances"], env, clean: true, ct: budget.Token);

            first.ExitCode.ShouldBe(0, first.Output);
            var text = await SectionAsync(budget.Token);
            // wiki.cell escapes the colons, which would otherwise open a definition list in a cell.
            text.ShouldContain($"| {_prefix}-web || ACTIVE || {address} || {OpenStackFixture.Image} || m1.small || ");
            text.ShouldContain("|| role&#58;&#58;web, profile&#58;&#58;base\n");
            text.ShouldContain($"| {_prefix}-irc || ACTIVE || ");

            await cloud.DeleteServerAsync(web, wait: true, budget.Token);
            var second = await WikiSyncProcess.RunAsync(["sync", "--job", "instances"], env, clean: true, ct: budget.Token);

            second.ExitCode.ShouldBe(0, second.Output);
            var after = await SectionAsync(budget.Token);
            after.ShouldNotContain(_prefix + "-web");
            after.ShouldContain($"| {_prefix}-irc || ACTIVE || ");
        }
        finally
        {
            await cloud.DeleteServerAsync(web, wait: false, CancellationToken.None);
            await cloud.DeleteServerAsync(irc, wait: false, CancellationToken.None);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The instances section of Nova Resource:bots as the wiki stores it now.</summary>
    private async Task<string> SectionAsync(CancellationToken ct)
    {
        var revisions = await wiki.GetRevisionsAsync("Nova Resource:bots", ct);
        revisions.ShouldNotBeEmpty();
        var text = revisions[^1].Text;
        const string Begin = "<!-- wikisync:begin instances -->", End = "<!-- wikisync:end instances -->";
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, text);
        return text[start..end];
    }
}
