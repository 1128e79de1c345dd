using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.IntegrationTests.Support;
using WikiSync.Model;
using WikiSync.Sources;
using WikiSync.Sources.Ldap;

namespace WikiSync.IntegrationTests.Sources;

[Collection(LdapCollection.Name)]
public sealed class LdapInventorySourceTests(LdapServerFixture ldap)
{
    private LdapOptions Options => new()
    {
        Url = ldap.Url,
        BindDn = ldap.BindDn,
        BindPassword = ldap.BindPassword,
        BaseDn = ldap.BaseDn,
        UserBaseDn = ldap.UserBaseDn,
        TimeoutSeconds = 10,
    };

    private static LdapInventorySource Source(LdapOptions options) => new(options, NullLogger<LdapInventorySource>.Instance);

    private static Project Project(Inventory inventory, string name) => inventory.Find(name).ShouldNotBeNull();

    [Fact]
    public async Task GroupOfNames_members_come_with_display_names_and_the_owner_as_projectadmin()
    {
        var bots = Project(await Source(Options).CollectAsync(default), "bots");

        bots.Description.ShouldBe("Bots that keep the wiki tidy");
        bots.Members.ShouldBe([
            new Member("alice", "projectadmin", "Alice Ådmin"),
            new Member("bob", "member", "Bob Builder"),
        ]);
        bots.Instances.ShouldBeEmpty();
    }

    [Fact]
    public async Task PosixGroup_memberUid_values_are_looked_up_escaped()
    {
        var webperf = Project(await Source(Options).CollectAsync(default), "webperf");

        webperf.Members.ShouldBe([
            new Member("carol", "projectadmin", "Carol Operator"),
            new Member("alice", "member", "Alice Ådmin"),
            new Member("eve*)(uid=*", "member", "Eve {{Evil}} [[Category:Hacked]]"),
        ]);
    }

    [Fact]
    public async Task Member_DNs_with_escaped_commas_resolve_and_unknown_members_stay_without_a_name()
    {
        var tools = Project(await Source(Options).CollectAsync(default), "tools");

        tools.Members.ShouldBe([
            new Member("carol", "member", "Carol Operator"),
            new Member("dan, jr", "member", "Dan \"Danger\" O'Brien <script>alert(1)</script>"),
            new Member("ghost", "member", null),
        ]);
    }

    [Fact]
    public async Task Every_display_name_comes_from_one_query()
    {
        var source = Source(Options);

        var inventory = await source.CollectAsync(default);

        source.LastUserLookups.ShouldBe(1);
        inventory.Projects.Select(p => p.Name).ShouldBe(["bots", "empty", "tools", "webperf", "{{evil}}<b>x</b>"]);
    }

    [Fact]
    public async Task A_huge_lookup_is_split_into_chunks_with_the_same_result()
    {
        var whole = await Source(Options).CollectAsync(default);
        var chunked = Source(Options with { LookupChunkSize = 2 });

        var inventory = await chunked.CollectAsync(default);

        chunked.LastUserLookups.ShouldBeGreaterThan(1);
        inventory.Projects.SelectMany(p => p.Members).ShouldBe(whole.Projects.SelectMany(p => p.Members));
    }

    [Fact]
    public async Task Hostile_group_names_and_descriptions_arrive_as_plain_values()
    {
        var evil = Project(await Source(Options).CollectAsync(default), "{{evil}}<b>x</b>");

        evil.Description.ShouldBe("<!-- wikisync:end members --> == heading == ~~~~ [[Category:X]]");
        evil.Members.Single().User.ShouldBe("eve*)(uid=*");
        Project(await Source(Options).CollectAsync(default), "empty").Members.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_anonymous_bind_reads_the_same_projects()
    {
        var inventory = await Source(Options with { BindDn = null, BindPassword = null }).CollectAsync(default);

        Project(inventory, "bots").Members.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Bad_credentials_fail_clearly_without_the_password()
    {
        var options = Options with { BindPassword = "not-the-Password-42" };

        var e = await Should.ThrowAsync<SourceException>(() => Source(options).CollectAsync(default));

        e.Message.ShouldBe($"LDAP server {ldap.Url} refused the credentials for {ldap.BindDn}");
        e.ToString().ShouldNotContain("not-the-Password-42");
    }

    [Fact]
    public async Task An_unreachable_server_fails_clearly()
    {
        var options = Options with { Url = "ldap://127.0.0.1:1" };

        var e = await Should.ThrowAsync<SourceException>(() => Source(options).CollectAsync(default));

        e.Message.ShouldStartWith("LDAP server ldap://127.0.0.1:1 is unreachable");
    }

    [Fact]
    public async Task A_missing_base_DN_is_named()
    {
        var options = Options with { BaseDn = "ou=nowhere,dc=wikisync,dc=test" };

        var e = await Should.ThrowAsync<SourceException>(() => Source(options).CollectAsync(default));

        e.Message.ShouldContain("has no entry ou=nowhere,dc=wikisync,dc=test");
    }

    [Fact]
    public async Task A_narrower_group_filter_and_no_admin_attribute_are_honoured()
    {
        var options = Options with { GroupFilter = "(objectClass=posixGroup)", AdminAttribute = "" };

        var inventory = await Source(options).CollectAsync(default);

        inventory.Projects.Select(p => p.Name).ShouldBe(["empty", "webperf"]);
        Project(inventory, "webperf").Members.ShouldAllBe(m => m.Role == "member");
    }
}
