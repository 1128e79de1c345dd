using System.Text;
using System.Text.Json.Nodes;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Sync;

/// <summary>
/// Untrusted inventory values (descriptions, member names, instance names, puppet classes) go through the
/// shipped templates and the real CLI; the wiki's own parser must see the same page structure as for
/// harmless values.
/// </summary>
[Collection(SyncWikiCollection.Name)]
public sealed class HostileInventoryTests(LocalWikiFixture wiki) : IDisposable
{
    private static readonly string[] Hostile =
    [
        "<!-- wikisync:end instances -->",
        "<!-- wikisync:begin members -->",
        "{{Hostile template}}",
        "{{subst:CURRENTYEAR}}",
        "[[Category:Pwned]]",
        "[[Main Page|click me]]",
        "== Injected heading ==",
        "\n== Heading after a new line ==\n",
        "~~~~",
        "__NOTOC__ __NOEDITSECTION__",
        "|}\n{| class=\"wikitable\"\n| injected",
        "| cell || cell",
        "</nowiki><nowiki>",
        "</pre>[[Category:X]]<pre>",
        "<script>alert(1)</script>",
        "[http://evil.example/ external]",
        "http://evil.example/bare",
        "\n* list item\n# numbered",
        "'''bold''' ''italic''",
        "{{#if:x|[[Category:ParserFunction]]}}",
        "&lt;!-- --&gt; &amp; &#91;&#91;",
        "RTL \u202e txet \u200f עברית",
        "-----",
        ";term:definition",
        "<ref>note</ref><references/>",
        "ISBN 9780306406157 RFC 1234",
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("wikisync-hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Quote(string value)
    {
        var b = new StringBuilder("\"");
        foreach (var c in value)
        {
            b.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) || c is '\u202e' or '\u200f' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return b.Append('"').ToString();
    }

    private static string ProjectYaml(string name, string value) => $"""
          - name: {name}
            description: {Quote(value)}
            members:
              - {"{"} user: {Quote(value)}, role: {Quote(value)} {"}"}
            instances:
              - {"{"} name: {Quote(value)}, state: {Quote(value)}, ip: {Quote(value)}, image: {Quote(value)}, flavor: {Quote(value)}, puppet: [{Quote(value)}] {"}"}

        """;

    private static JsonObject Shape(string structure)
    {
        var node = JsonNode.Parse(structure)!.AsObject();
        node["links"] = node["links"]!.AsArray().Count;
        return node;
    }

    [Fact]
    public async Task Hostile_values_leave_the_parsed_page_structure_unchanged()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var reference = $"hostile-ref-{id}";
        var inventory = new StringBuilder("projects:\n");
        inventory.Append(ProjectYaml(reference, "Harmless"));
        for (var i = 0; i < Hostile.Length; i++)
            inventory.Append(ProjectYaml($"hostile-{i}-{id}", Hostile[i]));
        var file = Path.Combine(_folder, "inventory.yaml");
        await File.WriteAllTextAsync(file, inventory.ToString());
        var env = wiki.CliEnvironment(file, _folder);

        var result = await CliProcess.RunAsync(env, _folder, "sync", "--job", "instances", "--job", "members");

        result.ExitCode.ShouldBe(0, result.ToString());
        using var reader = await wiki.EditorClientAsync();
        var expected = Shape(await reader.StructureAsync($"Nova Resource:{reference}"));
        var failures = new List<string>();
        for (var i = 0; i < Hostile.Length; i++)
        {
            var title = $"Nova Resource:hostile-{i}-{id}";
            var actual = Shape(await reader.StructureAsync(title));
            var links = actual["links"]!.GetValue<int>();
            actual["links"] = expected["links"]!.GetValue<int>();
            if (links > expected["links"]!.GetValue<int>() || !JsonNode.DeepEquals(actual, expected))
                failures.Add($"{Quote(Hostile[i])}: {actual.ToJsonString()} (links {links}) instead of {expected.ToJsonString()}");
        }
        failures.ShouldBeEmpty();

        // The comparison can see an injection: the reference page with one raw category is different.
        var (text, _, _) = await reader.ReadAsync($"Nova Resource:{reference}");
        await reader.EditAsync($"Nova Resource:{reference}/control", text + "\n[[Category:Pwned]]");
        JsonNode.DeepEquals(Shape(await reader.StructureAsync($"Nova Resource:{reference}/control")), expected).ShouldBeFalse();
    }
}
