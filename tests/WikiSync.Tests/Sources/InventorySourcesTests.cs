using Microsoft.Extensions.DependencyInjection;
using WikiSync.Model;
using WikiSync.Sources;
using WikiSync.Sources.OpenStack;
using WikiSync.Testing;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Sources;

public sealed class InventorySourcesTests : IDisposable
{
    private static readonly Instance Web1 = new("web-1", "id-1", "ACTIVE", ["10.0.0.1"], "debian-12", "g3.small", null, [], new Dictionary<string, string>());
    private static readonly Instance Db1 = new("db-1", "id-2", "ACTIVE", ["10.0.0.2"], "debian-12", "g3.large", null, [], new Dictionary<string, string>());

    private readonly FakeInventorySource _directory = new("ldap:test", new Inventory([
        new Project("bots", "Bots", [new Member("alice", "projectadmin", "Alice")], []),
        new Project("tools", "Tools", [new Member("bob", "member")], []),
    ]));

    private readonly FakeInventorySource _cloud = new("openstack:test", new Inventory([
        new Project("BOTS", "", [], [Web1]) { Id = "b075" },
        new Project("service", "", [], []),
        new Project("orphan", "", [], [Db1]),
    ]));

    private readonly ListLogger<InventorySources> _log = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "wikisync-sources-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private InventorySources Compose(bool allowEmpty = false, ISourceHistory? history = null) =>
        new(_directory, _directory, _cloud, allowEmpty, history ?? new InMemorySourceHistory(), _log);

    [Fact]
    public async Task Projects_and_members_from_one_source_and_instances_from_another_match_by_name()
    {
        var inventory = await Compose().CollectAsync(default);

        inventory.Projects.Select(p => p.Name).ShouldBe(["bots", "tools"]);
        var bots = inventory.Find("bots").ShouldNotBeNull();
        bots.Description.ShouldBe("Bots");
        bots.Members.Single().User.ShouldBe("alice");
        bots.Instances.ShouldBe([Web1]);
        inventory.Find("tools").ShouldNotBeNull().Instances.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_project_takes_the_clouds_id_from_the_instances_source_when_its_own_source_has_none()
    {
        var inventory = await Compose().CollectAsync(default);

        inventory.Find("bots").ShouldNotBeNull().Id.ShouldBe("b075");
        inventory.Find("tools").ShouldNotBeNull().Id.ShouldBe("");
    }

    [Fact]
    public async Task Each_distinct_source_is_collected_once_per_run()
    {
        await Compose().CollectAsync(default);

        _directory.Collections.ShouldBe(1);
        _cloud.Collections.ShouldBe(1);
    }

    [Fact]
    public async Task Instances_of_projects_the_project_source_does_not_list_are_reported()
    {
        await Compose().CollectAsync(default);

        _log.Lines.ShouldContain(l => l.Contains("orphan", StringComparison.Ordinal) && !l.Contains("service", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_source_fails_the_collection_with_its_own_reason()
    {
        _cloud.Failure = new SourceException("Nova at http://x/servers/detail answered 503 Service Unavailable");

        var e = await Should.ThrowAsync<SourceException>(() => Compose().CollectAsync(default));

        e.Message.ShouldBe("Nova at http://x/servers/detail answered 503 Service Unavailable");
    }

    [Fact]
    public async Task Two_failing_sources_report_both_reasons()
    {
        _cloud.Failure = new SourceException("cloud down");
        _directory.Failure = new SourceException("directory down");

        var e = await Should.ThrowAsync<SourceException>(() => Compose().CollectAsync(default));

        e.Message.ShouldContain("cloud down");
        e.Message.ShouldContain("directory down");
    }

    [Fact]
    public async Task An_unexpected_exception_is_still_a_source_failure()
    {
        _cloud.Failure = new InvalidOperationException("boom");

        var e = await Should.ThrowAsync<SourceException>(() => Compose().CollectAsync(default));

        e.Message.ShouldBe("openstack:test failed: boom");
    }

    [Fact]
    public async Task An_empty_answer_after_a_full_one_is_refused()
    {
        var composed = Compose();
        await composed.CollectAsync(default);
        _cloud.Inventory = Inventory.Empty;

        var e = await Should.ThrowAsync<SourceException>(() => composed.CollectAsync(default));

        e.Message.ShouldBe("openstack:test returned no instances where the last good answer had 2; refusing to blank pages " +
            "(set sources.allow_empty: true if the source is really empty now)");
    }

    [Fact]
    public async Task An_empty_answer_is_believed_when_allow_empty_is_set()
    {
        var composed = Compose(allowEmpty: true);
        await composed.CollectAsync(default);
        _directory.Inventory = new Inventory([new Project("bots", "", [], [])]);

        var inventory = await composed.CollectAsync(default);

        inventory.Find("bots").ShouldNotBeNull().Members.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_empty_first_answer_is_believed()
    {
        _cloud.Inventory = Inventory.Empty;

        var inventory = await Compose().CollectAsync(default);

        inventory.Projects.Sum(p => p.Instances.Count).ShouldBe(0);
    }

    [Fact]
    public async Task The_last_good_size_is_remembered_across_restarts_in_the_state_folder()
    {
        var path = Path.Combine(_folder, "source-counts.json");
        await Compose(history: new FileSourceHistory(path)).CollectAsync(default);
        _directory.Inventory = Inventory.Empty;

        var e = await Should.ThrowAsync<SourceException>(() => Compose(history: new FileSourceHistory(path)).CollectAsync(default));

        e.Message.ShouldContain("ldap:test returned no projects where the last good answer had 2");
    }

    [Fact]
    public async Task A_collection_for_some_projects_asks_each_source_for_them_alone()
    {
        var inventory = await Compose().CollectAsync(["bots"], default);

        _directory.Scopes.ShouldBe([["bots"]]);
        _cloud.Scopes.ShouldBe([["bots"]]);
        inventory.Find("bots").ShouldNotBeNull().Instances.ShouldBe([Web1]);
    }

    [Fact]
    public async Task One_source_for_everything_is_returned_as_it_is()
    {
        var inventory = await new InventorySources(_directory, _directory, _directory, false, new InMemorySourceHistory(), _log).CollectAsync(default);

        inventory.ShouldBeSameAs(_directory.Inventory);
        _directory.Collections.ShouldBe(1);
    }

    [Fact]
    public void Unknown_source_kinds_and_missing_sections_are_named()
    {
        var e = Should.Throw<SourceException>(() => new ServiceCollection().AddInventorySources(
            new SourcesOptions { Projects = "csv", Members = SourcesOptions.Ldap, Instances = SourcesOptions.OpenStack },
            openStack: null, ldap: null, staticSource: null, dataFolder: _folder));

        e.Message.ShouldContain("sources.projects \"csv\" must be static, ldap or keystone");
        e.Message.ShouldContain("sources: selects ldap but there is no ldap: section");
        e.Message.ShouldContain("sources: selects openstack or keystone but there is no openstack: section");
    }

    [Fact]
    public void A_members_source_that_is_not_known_lists_keystone_among_the_choices()
    {
        var e = Should.Throw<SourceException>(() => new ServiceCollection().AddInventorySources(
            new SourcesOptions { Members = "openstack" }, openStack: null, ldap: null, staticSource: _ => _directory, dataFolder: _folder));

        e.Message.ShouldContain("sources.members \"openstack\" must be static, ldap or keystone");
    }

    [Fact]
    public void Keystone_members_without_an_openstack_section_are_named()
    {
        var e = Should.Throw<SourceException>(() => new ServiceCollection().AddInventorySources(
            new SourcesOptions { Members = SourcesOptions.Keystone }, openStack: null, ldap: null, staticSource: _ => _directory, dataFolder: _folder));

        e.Message.ShouldContain("sources: selects openstack or keystone but there is no openstack: section");
    }

    [Fact]
    public async Task Registered_sources_compose_static_projects_with_openstack_instances_end_to_end()
    {
        await using var fake = await FakeOpenStack.StartAsync();
        var projects = new FakeInventorySource("static:test", new Inventory([
            new Project("demo", "The demo project", [new Member("alice", "member")], []),
        ]));
        var services = new ServiceCollection().AddLogging();
        services.AddInventorySources(
            new SourcesOptions { Instances = SourcesOptions.OpenStack },
            new OpenStackOptions { AuthUrl = fake.AuthUrl, UserName = FakeOpenStack.UserName, Password = FakeOpenStack.Password, ProjectName = "admin" },
            ldap: null, staticSource: _ => projects, dataFolder: _folder);
        await using var provider = services.BuildServiceProvider();

        var inventory = await provider.GetRequiredService<IInventorySource>().CollectAsync(default);

        var demo = inventory.Projects.ShouldHaveSingleItem();
        demo.Members.Single().User.ShouldBe("alice");
        demo.Instances.Single().Name.ShouldBe("volume-booted-test");
        File.Exists(Path.Combine(_folder, "source-counts.json")).ShouldBeTrue();
    }
}
