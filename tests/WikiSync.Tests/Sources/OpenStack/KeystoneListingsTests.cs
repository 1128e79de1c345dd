using System.Text.Json;
using WikiSync.Sources;
using WikiSync.Sources.OpenStack;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Sources.OpenStack;

/// <summary>Against answers recorded from the local cloud's Keystone (Payloads/README.md).</summary>
public sealed class KeystoneListingsTests
{
    private const string Bots = "47e54334bdd741daac831f08c4a9c6d0";
    private const string Tools = "ad8b2d12cd65474eb075eede88d25226";

    private static JsonElement Recorded(string name) => JsonDocument.Parse(FakeOpenStack.Payload(name)).RootElement;

    [Fact]
    public void Projects_of_the_real_keystone_keep_their_descriptions_and_the_disabled_flag()
    {
        var projects = KeystoneListings.Projects(Recorded("keystone-projects-zed-domain-reader.json")).ToList();

        projects.Select(p => p.Name).ShouldBe(["admin", "service", "bots", "tools", "archive"]);
        projects.Single(p => p.Name == "bots").ShouldBe(new KeystoneProject(Bots, "bots", "IRC and wiki bots of the community"));
        var archive = projects.Single(p => p.Name == "archive");
        archive.Enabled.ShouldBeFalse();
        archive.Description.ShouldBe("Retired project kept for its history");
    }

    [Fact]
    public void A_project_list_without_projects_names_what_is_missing()
    {
        var e = Should.Throw<SourceException>(() => KeystoneListings.Projects(JsonDocument.Parse("""{"error": {}}""").RootElement).ToList());

        e.Message.ShouldContain("without a \"projects\" list");
    }

    [Fact]
    public void Members_of_the_real_keystone_have_every_role_strongest_first_including_a_role_through_a_group()
    {
        var members = KeystoneListings.MembersByProject(KeystoneListings.RoleAssignments(Recorded("keystone-role-assignments-zed-effective-names.json")));

        // carol is admin of bots only through the group bots-admins; admin implies member implies reader.
        members[Bots].Select(m => (m.User, m.Role, string.Join(",", m.Roles))).ShouldBe([
            ("carol", "admin", "admin,member,reader"),
            ("alice", "member", "member,reader"),
            ("wikisync", "reader", "reader"),
        ]);
        members[Tools].Select(m => (m.User, m.Role)).ShouldBe([("bob", "member"), ("alice", "reader"), ("wikisync", "reader")]);
        members[Tools].ShouldAllBe(m => m.DisplayName == null);
    }

    [Fact]
    public void A_domain_assignment_makes_no_member_of_any_project()
    {
        var recorded = Recorded("keystone-role-assignments-zed-effective-names.json");
        var onDomains = recorded.GetProperty("role_assignments").EnumerateArray().Count(a => a.GetProperty("scope").TryGetProperty("domain", out _));

        var assignments = KeystoneListings.RoleAssignments(recorded).ToList();

        // The recording holds wikisync's reader role on domain Default; it is no project's.
        onDomains.ShouldBe(1);
        assignments.Count.ShouldBe(recorded.GetProperty("role_assignments").GetArrayLength() - onDomains);
        assignments.Where(a => a.UserName == "wikisync").Select(a => a.ProjectId).ShouldBe([Bots, Tools], ignoreOrder: true);
    }

    [Fact]
    public void The_strongest_role_is_admin_then_member_then_reader_then_any_other_alphabetically()
    {
        KeystoneRoleAssignment A(string user, string role) => new("p", user, user, role);

        var members = KeystoneListings.MembersByProject([
            A("u1", "reader"), A("u1", "heat_stack_owner"),
            A("u2", "observer"), A("u2", "auditor"),
            A("u3", "member"), A("u3", "Admin"),
            A("u4", "load-balancer_member"), A("u4", "member"),
        ])["p"];

        members.Select(m => (m.User, m.Role)).ShouldBe([("u3", "Admin"), ("u4", "member"), ("u1", "reader"), ("u2", "auditor")]);
        members.Single(m => m.User == "u1").Roles.ShouldBe(["reader", "heat_stack_owner"]);
        members.Single(m => m.User == "u2").Roles.ShouldBe(["auditor", "observer"]);
    }

    [Fact]
    public void A_forbidden_answer_is_no_list_of_role_assignments()
    {
        var e = Should.Throw<SourceException>(() => KeystoneListings.RoleAssignments(Recorded("keystone-role-assignments-zed-forbidden.json")).ToList());

        e.Message.ShouldContain("without a \"role_assignments\" list");
    }
}
