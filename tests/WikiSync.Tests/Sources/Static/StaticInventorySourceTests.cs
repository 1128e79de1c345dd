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
    [InlineData("projects:\n- { name: a, description: x\n- y }\n", 2, "not valid YAML")] // YamlDotNet fails it without a position
    public void Bad_inventory_names_file_and_line(string yaml, int line, string reason)
    {
        var e = Should.Throw<SourceException>(() => StaticInventorySource.Parse("inv.yaml", yaml));

        e.Message.ShouldStartWith($"inv.yaml:{line}:");
        e.Message.ShouldContain(reason);
    }

    [Theory]
    [InlineData("projects:\n  - &base { name: a }\n  - *base\n", 2)]
    [InlineData("projects:\n  - name: a\n    members: &m [ { user: Alice } ]\n  - name: b\n    members: *m\n", 0)]
    [InlineData("projects:\n  - name: a\nother: 1\n", 3)]
    [InlineData("projects:\n  - name: a\n---\nprojects: []\n", 4)]
    [InlineData("projects:\n  - name: a\n  - [x]\n", 3)]
    public void Files_the_project_by_project_reader_leaves_read_as_a_whole(string yaml, int errorLine)
    {
        // The project-by-project reader gives up on anything unusual (aliases across projects, other keys,
        // several documents): the whole-file reader then reads or reports it exactly as before.
        if (errorLine == 0)
        {
            var inventory = StaticInventorySource.Parse("inv.yaml", yaml);
            inventory.Projects[1].Members.ShouldHaveSingleItem().User.ShouldBe("Alice");
        }
        else
        {
            Should.Throw<SourceException>(() => StaticInventorySource.Parse("inv.yaml", yaml)).Message.ShouldStartWith($"inv.yaml:{errorLine}:");
        }
    }

    [Fact]
    public async Task A_large_inventory_reads_the_same_project_by_project()
    {
        var yaml = new System.Text.StringBuilder("projects:\n");
        for (var p = 0; p < 300; p++)
        {
            yaml.Append("  - name: p").Append(p).Append("\n    description: \"Project ").Append(p).Append("\"\n    members:\n      - { user: U").Append(p)
                .Append(", role: projectadmin }\n    instances:\n");
            for (var i = 0; i < 3; i++)
                yaml.Append("      - { name: p").Append(p).Append("-").Append(i).Append(", state: ACTIVE, ip: 10.0.0.").Append(i)
                    .Append(", created: 2026-11-01T10:00:00Z, puppet: [base] }\n");
        }
        using var dir = new TempFolder();
        var source = new StaticInventorySource(dir.Write("inv.yaml", yaml.ToString()));

        var inventory = await source.CollectAsync(CancellationToken.None);

        inventory.Projects.Count.ShouldBe(300);
        inventory.Projects[299].Instances[2].Name.ShouldBe("p299-2");
        inventory.Projects[299].Instances[2].Puppet.ShouldBe(["base"]);
        inventory.Projects[7].Members.ShouldHaveSingleItem().Role.ShouldBe("projectadmin");
    }

    [Fact]
    public async Task An_edited_file_is_read_again_even_right_after_a_read()
    {
        using var dir = new TempFolder();
        var path = dir.Write("inv.yaml", "projects:\n  - name: a\n");
        var source = new StaticInventorySource(path);
        (await source.CollectAsync(CancellationToken.None)).Projects.Single().Name.ShouldBe("a");

        await File.WriteAllTextAsync(path, "projects:\n  - name: b\n  - name: c\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));

        (await source.CollectAsync(CancellationToken.None)).Projects.Select(p => p.Name).ShouldBe(["b", "c"]);
    }

    [Fact]
    public async Task Missing_file_is_a_source_failure()
    {
        var source = new StaticInventorySource("/nonexistent/inventory.yaml");

        var e = await Should.ThrowAsync<SourceException>(() => source.CollectAsync(CancellationToken.None));

        e.Message.ShouldContain("/nonexistent/inventory.yaml");
    }
}
