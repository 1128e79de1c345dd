using Microsoft.Extensions.DependencyInjection;
using WikiSync.Model;
using WikiSync.Sources;
using WikiSync.Sources.OpenStack;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Sources.OpenStack;

/// <summary>The cloud source answering projects and members from Keystone (the fake replays the local cloud's answers).</summary>
public sealed class OpenStackInventorySourceKeystoneTests : FakeOpenStackTests
{
    protected override void Prepare(FakeOpenStack fake)
    {
        fake.ProjectsPayload = "keystone-projects-zed-domain-reader.json";
    }

    /// <summary>The read-only account: a domain-scoped token on Default for Keystone.</summary>
    private OpenStackOptions ReaderOptions => new()
    {
        AuthUrl = Fake.AuthUrl,
        UserName = FakeOpenStack.UserName,
        Password = FakeOpenStack.Password,
        KeystoneDomain = "Default",
        AllProjects = false,
        TimeoutSeconds = 10,
    };

    private const CloudAspects Keystone = CloudAspects.Projects | CloudAspects.Members;

    private OpenStackInventorySource Source(OpenStackOptions options, CloudAspects aspects = Keystone) => new(Http, options, Time, Log, aspects);

    [Fact]
    public async Task Projects_come_with_descriptions_and_a_disabled_one_is_left_out_by_default()
    {
        var inventory = await Source(ReaderOptions).CollectAsync(default);

        inventory.Projects.Select(p => p.Name).ShouldBe(["admin", "bots", "service", "tools"]);
        inventory.Find("tools").ShouldNotBeNull().Description.ShouldBe("Shared tools: dashboards, query services and small web apps");
        inventory.Projects.ShouldAllBe(p => p.Enabled);
        Log.Lines.ShouldContain(m => m.Contains("disabled projects, left out (openstack.disabled_projects: skip): archive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_disabled_projects_mark_a_disabled_project_is_kept_and_marked()
    {
        var inventory = await Source(ReaderOptions with { DisabledProjects = OpenStackOptions.MarkDisabled }).CollectAsync(default);

        var archive = inventory.Find("archive").ShouldNotBeNull();
        archive.Enabled.ShouldBeFalse();
        archive.Description.ShouldBe("Retired project kept for its history");
        inventory.Find("bots").ShouldNotBeNull().Enabled.ShouldBeTrue();
    }

    [Fact]
    public async Task Members_come_from_effective_role_assignments_with_names_and_roles()
    {
        var inventory = await Source(ReaderOptions).CollectAsync(default);

        var bots = inventory.Find("bots").ShouldNotBeNull();
        bots.Members.Select(m => (m.User, m.Role)).ShouldBe([("carol", "admin"), ("alice", "member"), ("wikisync", "reader")]);
        bots.Members[0].Roles.ShouldBe(["admin", "member", "reader"]);
        Fake.Requests.ShouldContain("GET /identity/v3/role_assignments?effective&include_names");
    }

    [Fact]
    public async Task Keystone_is_read_with_one_domain_scoped_token_when_keystone_domain_is_set()
    {
        await Source(ReaderOptions).CollectAsync(default);

        var body = Fake.AuthRequests.ShouldHaveSingleItem();
        body["auth"]!["scope"]!["domain"]!["name"]!.GetValue<string>().ShouldBe("Default");
        body["auth"]!["scope"]!["project"].ShouldBeNull();
    }

    [Fact]
    public async Task Projects_and_members_alone_ask_nova_nothing()
    {
        await Source(ReaderOptions).CollectAsync(default);

        Fake.Requests.ShouldNotContain(r => r.Contains("/servers/detail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_keystone_refusal_names_the_reader_role_the_domain_needs()
    {
        Fake.KeystoneListsForbidden = true;

        var e = await Should.ThrowAsync<SourceException>(() => Source(ReaderOptions).CollectAsync(default));

        e.Message.ShouldContain("answered 403");
        e.Message.ShouldContain("identity:list_projects");
        e.Message.ShouldContain("needs the reader role on domain Default");
    }

    [Fact]
    public async Task A_project_scoped_refusal_points_to_keystone_domain()
    {
        Fake.KeystoneListsForbidden = true;
        var options = ReaderOptions with { KeystoneDomain = null, ProjectName = "bots" };

        var e = await Should.ThrowAsync<SourceException>(() => Source(options).CollectAsync(default));

        e.Message.ShouldContain("set openstack.keystone_domain");
    }

    /// <summary>The admin listing of every project with the projects from Keystone: servers found by project id.</summary>
    private OpenStackInventorySource AdminWithProjects(string disabledProjects)
    {
        Fake.ServersPayload = "nova-servers-detail-zed-all-tenants.json";
        Fake.ProjectsPayload = "keystone-projects-zed-tools-disabled-derived.json";
        return Source(ReaderOptions with { KeystoneDomain = null, ProjectName = "admin", AllProjects = true, DisabledProjects = disabledProjects },
            CloudAspects.Instances | CloudAspects.Projects);
    }

    [Fact]
    public async Task The_servers_of_a_skipped_disabled_project_are_left_out_with_it_not_shown_under_its_id()
    {
        var inventory = await AdminWithProjects(OpenStackOptions.SkipDisabled).CollectAsync(default);

        inventory.Projects.Select(p => p.Name).ShouldBe(["admin", "bots", "service"]);
        inventory.Projects.SelectMany(p => p.Instances).Select(i => i.Name).ShouldBe(["bot-1", "bot-2"]);
    }

    [Fact]
    public async Task A_marked_disabled_project_keeps_its_servers()
    {
        var inventory = await AdminWithProjects(OpenStackOptions.MarkDisabled).CollectAsync(default);

        var tools = inventory.Find("tools").ShouldNotBeNull();
        tools.Enabled.ShouldBeFalse();
        tools.Instances.Select(i => i.Name).ShouldBe(["tools-web-1"]);
        inventory.Find("archive").ShouldNotBeNull().Enabled.ShouldBeFalse();
    }

    [Fact]
    public async Task Instances_and_keystone_share_one_source_and_its_token_cache()
    {
        using var folder = new TempFolder();
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(Time);
        services.AddInventorySources(
            new SourcesOptions { Projects = SourcesOptions.Keystone, Members = SourcesOptions.Keystone, Instances = SourcesOptions.OpenStack },
            ReaderOptions with { Projects = ["bots"] }, ldap: null, staticSource: null, dataFolder: folder.Path);
        await using var provider = services.BuildServiceProvider();
        var source = provider.GetRequiredService<IInventorySource>();

        var inventory = await source.CollectAsync(default);

        source.Describe().ShouldStartWith("openstack:");
        var bots = inventory.Find("bots").ShouldNotBeNull();
        bots.Instances.Count.ShouldBe(2);
        bots.Members.Count.ShouldBe(3);
        bots.Description.ShouldBe("IRC and wiki bots of the community");
        // One token for Keystone (the domain), one for the bots listing.
        Fake.TokensIssued.ShouldBe(2);
    }

    [Fact]
    public async Task Keystone_members_join_the_projects_of_another_source_by_name()
    {
        using var folder = new TempFolder();
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(Time);
        var projects = new FakeInventorySource("static:test", new Inventory([new Project("bots", "From the inventory file", [], [])]));
        services.AddInventorySources(new SourcesOptions { Members = SourcesOptions.Keystone }, ReaderOptions, ldap: null,
            staticSource: _ => projects, dataFolder: folder.Path);
        await using var provider = services.BuildServiceProvider();

        var inventory = await provider.GetRequiredService<IInventorySource>().CollectAsync(default);

        var bots = inventory.Projects.ShouldHaveSingleItem();
        bots.Description.ShouldBe("From the inventory file");
        bots.Members.Select(m => m.User).ShouldBe(["carol", "alice", "wikisync"]);
        Fake.Requests.ShouldNotContain(r => r.Contains("/servers/detail", StringComparison.Ordinal));
    }

    [Fact]
    public void Keystone_options_problems_name_their_keys()
    {
        var e = Should.Throw<SourceException>(() => Source(ReaderOptions with
        {
            DisabledProjects = "hide",
            UserName = null,
            Password = null,
            ApplicationCredentialId = "id",
            ApplicationCredentialSecret = "s",
        }));

        e.Message.ShouldContain("openstack.disabled_projects \"hide\" must be skip or mark");
        e.Message.ShouldContain("openstack.keystone_domain needs a user_name and password");
    }

    [Fact]
    public void Reading_keystone_with_an_unscoped_password_token_is_refused_naming_both_keys()
    {
        var e = Should.Throw<SourceException>(() => Source(ReaderOptions with { KeystoneDomain = null }));

        e.Message.ShouldContain("openstack.keystone_domain");
        e.Message.ShouldContain("openstack.project_name");
    }

    [Fact]
    public void A_member_of_another_source_has_its_one_role_as_roles()
    {
        new Member("alice", "projectadmin").Roles.ShouldBe(["projectadmin"]);
    }
}
