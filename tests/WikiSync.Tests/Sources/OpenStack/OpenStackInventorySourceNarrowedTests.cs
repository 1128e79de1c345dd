using WikiSync.Sources.OpenStack;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Sources.OpenStack;

/// <summary>A collection for a few projects (a notified refresh) lists only their servers.</summary>
public sealed class OpenStackInventorySourceNarrowedTests : FakeOpenStackTests
{
    private const string BotsId = "2b7f4e6bddd04d61b098138c327f34f3";

    protected override void Prepare(FakeOpenStack fake)
    {
        fake.ServersPayload = "nova-servers-detail-zed-all-tenants.json";
        fake.ProjectsPayload = "keystone-projects-zed.json";
    }

    private OpenStackInventorySource Source(bool allProjects = true) => new(Http, new OpenStackOptions
    {
        AuthUrl = Fake.AuthUrl,
        UserName = FakeOpenStack.UserName,
        Password = FakeOpenStack.Password,
        ProjectName = allProjects ? "admin" : null,
        AllProjects = allProjects,
        Projects = allProjects ? [] : ["bots", "tools"],
        TimeoutSeconds = 10,
    }, Time, Log);

    private List<string> ServerRequests() => [.. Fake.Requests.Where(r => r.Contains("/servers/detail", StringComparison.Ordinal))];

    [Fact]
    public async Task The_first_collection_lists_every_project_even_when_asked_for_one()
    {
        var inventory = await Source().CollectAsync(["bots"], default);

        ServerRequests().Single().ShouldNotContain("project_id");
        inventory.Find("tools").ShouldNotBeNull().Instances.Select(i => i.Name).ShouldBe(["tools-web-1"]);
    }

    [Fact]
    public async Task A_later_collection_for_one_project_lists_its_servers_alone_and_keeps_the_others_as_last_listed()
    {
        var source = Source();
        await source.CollectAsync(default);
        Fake.DeletedServers.UnionWith(["bot-2", "tools-web-1"]);

        var inventory = await source.CollectAsync(["Bots"], default);

        ServerRequests()[1].ShouldContain($"all_tenants=true&project_id={BotsId}");
        inventory.Find("bots").ShouldNotBeNull().Instances.Select(i => i.Name).ShouldBe(["bot-1"]);
        // Not listed this time: as the last listing had it, until a collection that lists tools.
        inventory.Find("tools").ShouldNotBeNull().Instances.Select(i => i.Name).ShouldBe(["tools-web-1"]);
        inventory.Find("archive").ShouldNotBeNull().Instances.ShouldBeEmpty();

        var whole = await source.CollectAsync(default);

        whole.Find("tools").ShouldNotBeNull().Instances.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_project_that_lost_all_its_servers_shows_none_after_a_narrowed_listing()
    {
        var source = Source();
        await source.CollectAsync(default);
        Fake.DeletedServers.UnionWith(["bot-1", "bot-2"]);

        var inventory = await source.CollectAsync(["bots"], default);

        inventory.Find("bots").ShouldNotBeNull().Instances.ShouldBeEmpty();
        inventory.Projects.Select(p => p.Name).ShouldNotContain(BotsId);
    }

    [Fact]
    public async Task A_project_made_again_under_its_name_since_the_last_listing_makes_the_collection_list_everything()
    {
        var source = Source();
        await source.CollectAsync(default);
        Fake.ProjectsPayload = "keystone-projects-zed-bots-recreated-derived.json";

        var inventory = await source.CollectAsync(["bots"], default);

        var requests = ServerRequests();
        requests.Count.ShouldBe(3);
        requests[1].ShouldContain("project_id=" + BotsId);
        requests[2].ShouldNotContain("project_id");
        // The servers are the old project's: shown under its id, not as the new project's.
        inventory.Find("bots").ShouldNotBeNull().Instances.ShouldBeEmpty();
        inventory.Find(BotsId).ShouldNotBeNull().Instances.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Many_projects_at_once_are_listed_in_one_listing_of_everything()
    {
        var source = Source();
        await source.CollectAsync(default);

        await source.CollectAsync(["admin", "service", "bots", "tools", "archive", "more"], default);

        ServerRequests().ShouldAllBe(r => !r.Contains("project_id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Project_scoped_listings_ask_only_the_named_projects_token()
    {
        var source = Source(allProjects: false);
        await source.CollectAsync(default);
        var before = ServerRequests().Count;

        var inventory = await source.CollectAsync(["tools"], default);

        (ServerRequests().Count - before).ShouldBe(1);
        inventory.Projects.Select(p => p.Name).ShouldBe(["bots", "tools"]);
        inventory.Find("bots").ShouldNotBeNull().Instances.Count.ShouldBe(3);
    }
}
