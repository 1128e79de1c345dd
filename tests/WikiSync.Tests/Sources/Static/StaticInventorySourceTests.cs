using WikiSync.Sources;
using WikiSync.Sources.Static;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Sources.Static;

public sealed class StaticInventorySourceTests
{
    private const string Sample = """
        projects:
          - name: bots
            description: Infrastructure for wiki bots
            members:
              - { user: Alice, role: projectadmin }
              - { user: Bob, role: member }
            instances:
              - { name: bots-web-1, id: 6c1f0b2e-0d7a-4e55-9d8a-0f2b3c4d5e6f, state: ACTIVE, ip: 172.16.0.11,
                  image: debian-12, flavor: g3.cores2.ram4, created: 2026-11-01T10:00:00Z,
                  puppet: [base, "exim::simple-mail-sender"] }
          - name: empty
        """;

    [Fact]
    public async Task Reads_the_issue_sample()
    {
        using var dir = new TempFolder();
        var source = new StaticInventorySource(dir.Write("inv.yaml", Sample));

        var inventory = await source.CollectAsync(CancellationToken.None);

        inventory.Projects.Count.ShouldBe(2);
        var bots = inventory.Projects[0];
        bots.Description.ShouldBe("Infrastructure for wiki bots");
        bots.Members.Select(m => m.User).ShouldBe(["Alice", "Bob"]);
        var instance = bots.Instances.ShouldHaveSingleItem();
        instance.Ip.ShouldBe("172.16.0.11");
        instance.Created.ShouldBe(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero));
        instance.Puppet.ShouldBe(["base", "exim::simple-mail-sender"]);
        inventory.Projects[1].Members.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("projects:\n  - name: a\n    colour: red\n", 3, "unknown key \"colour\"")]
    [InlineData("projects:\n  - description: x\n", 2, "missing the required key \"name\"")]
    [InlineData("projects:\n  - name: a\n    members: alice\n", 3, "must be a list")]
    [InlineData("projects:\n  - name: a\n    instances:\n      - { name: i, created: yesterday }\n", 4, "not a date")]
    [InlineData("projects:\n  - name: [a, b]\n", 2, "must be a single value")]
    [InlineData("projects:\n  - name: a\n  - name: A\n", 3, "listed twice")]
    [InlineData("projects: [\n", 2, "not valid YAML")]
    public void Bad_inventory_names_file_and_line(string yaml, int line, string reason)
    {
        var e = Should.Throw<SourceException>(() => StaticInventorySource.Parse("inv.yaml", yaml));

        e.Message.ShouldStartWith($"inv.yaml:{line}:");
        e.Message.ShouldContain(reason);
    }

    [Fact]
    public async Task Missing_file_is_a_source_failure()
    {
        var source = new StaticInventorySource("/nonexistent/inventory.yaml");

        var e = await Should.ThrowAsync<SourceException>(() => source.CollectAsync(CancellationToken.None));

        e.Message.ShouldContain("/nonexistent/inventory.yaml");
    }
}
