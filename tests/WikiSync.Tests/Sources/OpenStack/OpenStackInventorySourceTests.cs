using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using WikiSync.Sources;
using WikiSync.Sources.OpenStack;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Sources.OpenStack;

public sealed class OpenStackInventorySourceTests : FakeOpenStackTests
{
    private OpenStackOptions AdminOptions => new()
    {
        AuthUrl = Fake.AuthUrl,
        UserName = FakeOpenStack.UserName,
        Password = FakeOpenStack.Password,
        ProjectName = "admin",
        TimeoutSeconds = 10,
    };

    private OpenStackInventorySource Source(OpenStackOptions options) => new(Http, options, Time, Log);

    [Fact]
    public async Task Admin_listing_follows_servers_links_and_groups_servers_by_keystone_project()
    {
        var inventory = await Source(AdminOptions).CollectAsync(default);

        var demo = inventory.Find("demo").ShouldNotBeNull();
        demo.Instances.Select(i => i.Name).ShouldBe(["volume-booted-test"]);
        // The sample's first server belongs to a tenant Keystone's sample does not list: kept under its id.
        var unknown = inventory.Find("6f70656e737461636b20342065766572").ShouldNotBeNull();
        unknown.Instances.Select(i => i.Id).ShouldBe(["764e369e-a874-4401-b7ce-43e4760888da"]);
        inventory.Find("alt_demo").ShouldNotBeNull().Instances.ShouldBeEmpty();
        // Keystone's ids: what notifications name projects by.
        demo.Id.ShouldBe("0cbd49cbf76d405d9c86562e1d579bd3");
        unknown.Id.ShouldBe("6f70656e737461636b20342065766572");

        var serverRequests = Fake.Requests.Where(r => r.Contains("/servers/detail", StringComparison.Ordinal)).ToList();
        serverRequests.Count.ShouldBe(2);
        serverRequests.ShouldAllBe(r => r.Contains("all_tenants=true", StringComparison.Ordinal));
        serverRequests[1].ShouldContain("marker=764e369e-a874-4401-b7ce-43e4760888da");
    }

    [Fact]
    public async Task A_next_link_back_to_a_page_already_read_fails_the_collection_naming_the_url()
    {
        Fake.SecondPageLinksToItself = true;

        var e = await Should.ThrowAsync<SourceException>(() => Source(AdminOptions).CollectAsync(default));

        e.Message.ShouldContain("links back to a page already read");
        e.Message.ShouldContain("/servers/detail?limit=1&marker=764e369e-a874-4401-b7ce-43e4760888da");
        // Page one, page two, and page two's link to itself is not followed.
        Fake.Requests.Count(r => r.Contains("/servers/detail", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task A_next_link_to_another_server_is_not_followed_and_names_the_url()
    {
        Fake.FirstPageNextLink = "http://198.51.100.7:8774/v2.1/servers/detail?all_tenants=true&marker=x";

        var e = await Should.ThrowAsync<SourceException>(() => Source(AdminOptions).CollectAsync(default));

        e.Message.ShouldContain("links to a next page on another server (http://198.51.100.7:8774/v2.1/servers/detail?all_tenants=true&marker=x");
        e.Message.ShouldContain("the token is not sent there");
    }

    [Fact]
    public async Task A_listing_longer_than_max_pages_fails_naming_the_setting_and_the_next_url()
    {
        Fake.EndlessPages = true;

        var e = await Should.ThrowAsync<SourceException>(() => Source(AdminOptions with { MaxPages = 3 }).CollectAsync(default));

        e.Message.ShouldContain("goes on past 3 pages (openstack.max_pages; next: ");
        e.Message.ShouldContain("marker=m3");
        Fake.Requests.Count(r => r.Contains("/servers/detail", StringComparison.Ordinal)).ShouldBe(3);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_with_the_token()
    {
        Fake.ComputeRedirect = Fake.BaseUri + "elsewhere/servers";
        using var folder = new TempFolder();
        // Through the registration: the HTTP client it configures is the one that must not follow.
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(Time);
        var projects = new FakeInventorySource("static:test", new WikiSync.Model.Inventory([new WikiSync.Model.Project("demo", "", [], [])]));
        services.AddInventorySources(new SourcesOptions { Instances = SourcesOptions.OpenStack },
            AdminOptions, ldap: null, staticSource: _ => projects, dataFolder: folder.Path);
        await using var provider = services.BuildServiceProvider();

        var e = await Should.ThrowAsync<SourceException>(() => provider.GetRequiredService<IInventorySource>().CollectAsync(default));

        e.Message.ShouldContain("answered 302");
        e.Message.ShouldContain("not followed");
        Fake.Requests.ShouldNotContain(r => r.Contains("/elsewhere", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_answer_over_max_response_bytes_is_not_read()
    {
        Fake.PagePadding = 50_000;

        var e = await Should.ThrowAsync<SourceException>(() => Source(AdminOptions with { MaxResponseBytes = 20_000 }).CollectAsync(default));

        e.Message.ShouldContain("answered more than 20000 bytes (openstack.max_response_bytes)");
    }

    [Fact]
    public async Task Password_authentication_sends_user_domain_and_project_scope()
    {
        await Source(AdminOptions).CollectAsync(default);

        var body = Fake.AuthRequests.Single();
        body["auth"]!["identity"]!["methods"]![0]!.GetValue<string>().ShouldBe("password");
        body["auth"]!["identity"]!["password"]!["user"]!["domain"]!["name"]!.GetValue<string>().ShouldBe("Default");
        body["auth"]!["scope"]!["project"]!["name"]!.GetValue<string>().ShouldBe("admin");
    }

    [Fact]
    public async Task A_token_is_reused_until_shortly_before_it_expires()
    {
        var source = Source(AdminOptions);
        await source.CollectAsync(default);
        Time.Advance(TimeSpan.FromMinutes(50));
        await source.CollectAsync(default);
        Fake.TokensIssued.ShouldBe(1);

        // Within the five-minute margin of expires_at: a new token before asking Nova, no 401 needed.
        Time.Advance(TimeSpan.FromMinutes(6));
        await source.CollectAsync(default);
        Fake.TokensIssued.ShouldBe(2);
        Fake.Requests.Count(r => r.StartsWith("POST", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task A_token_refused_with_401_is_replaced_and_the_request_retried()
    {
        var source = Source(AdminOptions);
        await source.CollectAsync(default);
        Fake.RevokeTokens();

        var inventory = await source.CollectAsync(default);

        Fake.TokensIssued.ShouldBe(2);
        inventory.Find("demo").ShouldNotBeNull().Instances.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_token_expired_on_the_server_mid_listing_is_replaced_and_paging_continues()
    {
        Fake.UnauthorizedComputeAnswers = 1;

        var inventory = await Source(AdminOptions).CollectAsync(default);

        inventory.Projects.Sum(p => p.Instances.Count).ShouldBe(2);
        Fake.TokensIssued.ShouldBe(2);
    }

    [Fact]
    public async Task A_second_401_after_re_authentication_is_a_clear_failure()
    {
        Fake.UnauthorizedComputeAnswers = 2;

        var e = await Should.ThrowAsync<SourceException>(() => Source(AdminOptions).CollectAsync(default));

        e.Message.ShouldContain("refused a freshly issued token for user admin");
    }

    [Fact]
    public async Task Nova_answering_503_fails_the_source_instead_of_returning_an_empty_inventory()
    {
        Fake.ComputeStatus = 503;

        var e = await Should.ThrowAsync<SourceException>(() => Source(AdminOptions).CollectAsync(default));

        e.Message.ShouldContain("Nova at");
        e.Message.ShouldContain("answered 503");
        e.Message.ShouldContain("Service Unavailable (the fake says so)");
    }

    [Fact]
    public async Task Keystone_answering_503_is_a_clear_failure()
    {
        Fake.KeystoneStatus = 503;

        var e = await Should.ThrowAsync<SourceException>(() => Source(AdminOptions).CollectAsync(default));

        e.Message.ShouldBe($"Keystone at {Fake.AuthUrl}/auth/tokens answered 503 Service Unavailable");
    }

    [Fact]
    public async Task A_nova_slower_than_the_timeout_is_a_clear_failure()
    {
        Fake.ComputeHangs = true;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // A project's own listing: no Keystone list in flight beside Nova's when the fake clock moves past the timeout.
        var source = new OpenStackInventorySource(Http, AdminOptions with { TimeoutSeconds = 1, AllProjects = false, Projects = ["bots"] }, time, Log);

        var collect = source.CollectAsync(default);
        await Fake.ComputeReached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(1));
        var e = await Should.ThrowAsync<SourceException>(() => collect);

        e.Message.ShouldEndWith("/servers/detail did not answer within 1 s");
        e.Message.ShouldStartWith("Nova at ");
    }

    [Fact]
    public async Task Wrong_password_names_the_user_and_never_the_password()
    {
        var options = AdminOptions with { Password = "wrong-Secret-xyz" };

        var e = await Should.ThrowAsync<SourceException>(() => Source(options).CollectAsync(default));

        e.Message.ShouldStartWith("Keystone refused the credentials for user admin");
        e.ToString().ShouldNotContain("wrong-Secret-xyz");
        Log.Lines.ShouldAllBe(l => !l.Contains("wrong-Secret-xyz"));
    }

    [Fact]
    public async Task No_secret_or_token_appears_in_logs_or_option_text()
    {
        var source = Source(AdminOptions);
        await source.CollectAsync(default);
        Fake.RevokeTokens();
        await source.CollectAsync(default);

        var text = string.Join('\n', Log.Lines) + AdminOptions;
        text.ShouldNotContain(FakeOpenStack.Password);
        text.ShouldNotContain("gAAAAAfake");
    }

    [Fact]
    public async Task Unreachable_keystone_is_a_clear_failure()
    {
        var options = AdminOptions with { AuthUrl = "http://127.0.0.1:1/v3" };

        var e = await Should.ThrowAsync<SourceException>(() => Source(options).CollectAsync(default));

        e.Message.ShouldStartWith("Keystone at http://127.0.0.1:1/v3/auth/tokens is unreachable");
    }

    [Fact]
    public async Task Application_credential_authentication_sends_id_and_secret_without_scope()
    {
        var options = new OpenStackOptions
        {
            AuthUrl = Fake.AuthUrl,
            ApplicationCredentialId = FakeOpenStack.ApplicationCredentialId,
            ApplicationCredentialSecret = FakeOpenStack.ApplicationCredentialSecret,
        };

        // The reference sample's catalog only lists identity, which makes a clear error too.
        var e = await Should.ThrowAsync<SourceException>(() => Source(options).CollectAsync(default));

        e.Message.ShouldBe("the Keystone service catalog has no \"compute\" service");
        var body = Fake.AuthRequests.Single();
        body["auth"]!["identity"]!["application_credential"]!["id"]!.GetValue<string>().ShouldBe(FakeOpenStack.ApplicationCredentialId);
        body["auth"]!["scope"].ShouldBeNull();
        e.ToString().ShouldNotContain(FakeOpenStack.ApplicationCredentialSecret);
    }

    [Fact]
    public async Task Wrong_application_credential_names_the_credential_id()
    {
        var options = new OpenStackOptions
        {
            AuthUrl = Fake.AuthUrl,
            ApplicationCredentialId = "0000",
            ApplicationCredentialSecret = "nope",
        };

        var e = await Should.ThrowAsync<SourceException>(() => Source(options).CollectAsync(default));

        e.Message.ShouldStartWith("Keystone refused the credentials for application credential 0000");
    }

    [Fact]
    public async Task A_region_missing_from_the_catalog_names_what_the_catalog_offers()
    {
        var options = AdminOptions with { Region = "RegionTwo" };

        var e = await Should.ThrowAsync<SourceException>(() => Source(options).CollectAsync(default));

        e.Message.ShouldContain("no public \"compute\" endpoint in region RegionTwo");
        e.Message.ShouldContain("public@RegionOne");
    }

    [Fact]
    public async Task Per_project_listing_uses_a_project_scoped_token_and_no_all_tenants()
    {
        var options = AdminOptions with { AllProjects = false, Projects = ["bots", "tools"], ProjectName = null };

        var inventory = await Source(options).CollectAsync(default);

        inventory.Projects.Select(p => p.Name).ShouldBe(["bots", "tools"]);
        inventory.Find("bots").ShouldNotBeNull().Instances.Count.ShouldBe(2);
        Fake.AuthRequests.Select(b => b["auth"]!["scope"]!["project"]!["name"]!.GetValue<string>()).ShouldBe(["bots", "tools"]);
        Fake.Requests.Where(r => r.Contains("/servers/detail", StringComparison.Ordinal))
            .ShouldAllBe(r => !r.Contains("all_tenants", StringComparison.Ordinal));
    }

    [Fact]
    public void Incomplete_options_list_every_problem_by_key()
    {
        var e = Should.Throw<SourceException>(() => Source(new OpenStackOptions { Interface = "private" }));

        e.Message.ShouldContain("openstack.auth_url is required");
        e.Message.ShouldContain("user_name and password");
        e.Message.ShouldContain("openstack.interface \"private\"");
    }

    private const string DebianImage = "ee2ce938-b10e-484e-9dba-061cf4b2ff06";
    private const string DeletedImage = "aa565dcd-33b9-4bee-84ae-ceea612282c4";

    [Fact]
    public async Task Image_names_come_from_glance_once_per_distinct_image_and_pass_and_a_deleted_image_keeps_its_id()
    {
        Fake.ServersPayload = "nova-servers-detail-zed-all-tenants.json";
        Fake.ProjectsPayload = "keystone-projects-zed.json";
        Fake.Images[DebianImage] = "glance-image-show-zed.json";
        var source = Source(AdminOptions);

        var inventory = await source.CollectAsync(default);

        var bots = inventory.Find("bots").ShouldNotBeNull();
        bots.Description.ShouldBe("IRC and wiki bots of the community");
        bots.Instances.Select(i => (i.Name, i.Image, i.Flavor, i.State, i.PowerState)).ShouldBe(
            [("bot-1", "debian-12-tiny", "m1.small", "ACTIVE", "NOSTATE"), ("bot-2", "debian-12-tiny", "m1.small", "SHUTOFF", "SHUTDOWN")]);
        inventory.Find("tools").ShouldNotBeNull().Instances.Single().Image.ShouldBe(DeletedImage);
        inventory.Find("archive").ShouldNotBeNull().Instances.ShouldBeEmpty();
        ImageRequests().ShouldBe([$"GET /image/v2/images/{DeletedImage}", $"GET /image/v2/images/{DebianImage}"], ignoreOrder: true);

        await source.CollectAsync(default);

        // A new pass asks again: an image renamed or deleted since shows at once.
        ImageRequests().Count.ShouldBe(4);
    }

    [Fact]
    public async Task Project_scoped_listing_names_images_with_each_project_token()
    {
        Fake.ServersPayload = "nova-servers-detail-zed-all-tenants.json";
        Fake.Images[DebianImage] = "glance-image-show-zed.json";

        var inventory = await Source(AdminOptions with { AllProjects = false, Projects = ["bots", "tools"] }).CollectAsync(default);

        inventory.Find("bots").ShouldNotBeNull().Instances.Where(i => i.Name.StartsWith("bot-", StringComparison.Ordinal))
            .ShouldAllBe(i => i.Image == "debian-12-tiny");
        // The second project's pass reuses the names the first one learned.
        ImageRequests().Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_volume_booted_server_asks_glance_nothing()
    {
        var inventory = await Source(AdminOptions).CollectAsync(default);

        inventory.Find("demo").ShouldNotBeNull().Instances.Single().Image.ShouldBe("");
        ImageRequests().ShouldBe(["GET /image/v2/images/70a599e0-31e7-49b7-b260-868f441e862b"]);
    }

    private List<string> ImageRequests() => Fake.Requests.Where(r => r.Contains("/image/", StringComparison.Ordinal)).ToList();
}
