using System.Globalization;
using System.Text;
using System.Text.Json;
using WikiSync.Model;
using WikiSync.Sources;
using WikiSync.Sources.Static;
using WikiSync.Tests.Support;
using WikiSync.Yaml;

namespace WikiSync.Tests.Sources.Static;

/// <summary>
/// Re-reading an edited inventory parses only the projects whose text changed, and always gives what the
/// whole-file reader gives. Every file has its own temp path: the last read is remembered process-wide.
/// </summary>
public sealed class InventoryItemIndexTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private DateTime _stamp = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void After_a_first_read_a_re_read_parses_only_the_changed_project()
    {
        var items = Enumerable.Range(1, 20).Select(p => Item($"p{p}")).ToList();
        var path = Write(Inventory(items));
        var (inventory, index) = StaticInventorySource.ReadWhole(path);
        Json(inventory).ShouldBe(FullRead(path));
        index.ShouldNotBeNull().Count.ShouldBe(20);

        items[6] = Item("p7", instances: 3);
        Write(Inventory(items), path);
        var second = ReadItems(path, index);

        second.Parsed.ShouldBe(1);
        Json(second.Inventory).ShouldBe(FullRead(path));
        second.Inventory.Projects[6].Instances.Count.ShouldBe(3);
        StaticInventorySource.ReadFile(path).Projects[6].Instances.Count.ShouldBe(3);
    }

    public static TheoryData<string, int> Edits() => new()
    {
        { "add", 1 },
        { "remove", 0 },
        { "reorder", 0 },
        { "rename", 1 },
        { "describe", 1 },
        { "comment", 1 },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void Every_kind_of_edit_reads_as_the_whole_file_reader_reads_it(string edit, int parsed)
    {
        var items = Enumerable.Range(1, 10).Select(p => Item($"p{p}")).ToList();
        var path = Write(Inventory(items));
        var known = FirstReadIndex(path).ShouldNotBeNull();

        switch (edit)
        {
            case "add": items.Insert(4, Item("new")); break;
            case "remove": items.RemoveAt(4); break;
            case "reorder": items.Reverse(); break;
            case "rename": items[4] = Item("p5-renamed"); break;
            case "describe": items[4] = Item("p5", description: "Changed: \"quoted\" and ü"); break;
            case "comment": items[4] += "# a note about p5\n"; break;
        }
        Write(Inventory(items), path);
        var second = ReadItems(path, known);

        second.Parsed.ShouldBe(parsed);
        Json(second.Inventory).ShouldBe(FullRead(path));
        Json(StaticInventorySource.ReadFile(path)).ShouldBe(FullRead(path));
    }

    [Fact]
    public void A_change_that_lists_a_name_twice_fails_as_the_whole_file_reader_fails()
    {
        var items = Enumerable.Range(1, 5).Select(p => Item($"p{p}")).ToList();
        var path = Write(Inventory(items));
        StaticInventorySource.ReadFile(path);
        var known = FirstReadIndex(path).ShouldNotBeNull();

        items[3] = Item("P2");
        Write(Inventory(items), path);

        StaticInventorySource.ReadItems(path, known).ShouldBeNull();
        var e = Should.Throw<SourceException>(() => StaticInventorySource.ReadFile(path));
        e.Message.ShouldBe(FullRead(path));
        e.Message.ShouldContain("\"P2\" is listed twice");
    }

    [Theory]
    [InlineData("    description: \"unterminated\n", "not valid YAML")]
    [InlineData("    colour: red\n", "unknown key \"colour\"")]
    [InlineData("    instances:\n      - { name: i, created: yesterday }\n", "not a date")]
    public void A_change_that_breaks_one_project_fails_with_the_whole_file_readers_file_line_and_column(string bad, string reason)
    {
        var items = Enumerable.Range(1, 5).Select(p => Item($"p{p}")).ToList();
        var path = Write(Inventory(items));
        StaticInventorySource.ReadFile(path);

        items[2] = "  - name: p3\n" + bad;
        Write(Inventory(items), path);

        var e = Should.Throw<SourceException>(() => StaticInventorySource.ReadFile(path));
        e.Message.ShouldBe(FullRead(path));
        e.Message.ShouldStartWith(path + ":");
        e.Message.ShouldContain(reason);

        // Mended, the file reads again (and nothing of the failed read is remembered).
        items[2] = Item("p3");
        Write(Inventory(items), path);
        Json(StaticInventorySource.ReadFile(path)).ShouldBe(FullRead(path));
    }

    [Fact]
    public void An_alias_to_another_projects_anchor_reads_right_before_and_after_the_anchor_changes()
    {
        const string Template = """
            projects:
              - name: a
                members: &team [ { user: Alice }, { user: WHO } ]
              - name: b
                members: *team
              - name: c

            """;
        var path = Write(Template.Replace("WHO", "Bob", StringComparison.Ordinal));
        StaticInventorySource.ReadItems(path, InventoryItemIndex.Empty).ShouldBeNull();
        FirstReadIndex(path).ShouldBeNull();
        Json(StaticInventorySource.ReadFile(path)).ShouldBe(FullRead(path));

        // b's own text does not change, but what it reads as does.
        Write(Template.Replace("WHO", "Carol", StringComparison.Ordinal), path);
        var inventory = StaticInventorySource.ReadFile(path);

        Json(inventory).ShouldBe(FullRead(path));
        inventory.Projects[1].Members.Select(m => m.User).ShouldBe(["Alice", "Carol"]);
    }

    [Fact]
    public void An_anchor_and_its_alias_in_one_project_read_item_by_item()
    {
        var text = Inventory([
            Item("a"),
            "  - name: b\n    instances:\n      - { name: b1, puppet: &classes [base, web] }\n      - { name: b2, puppet: *classes }\n",
        ]);
        var path = Write(text);

        var read = ReadItems(path, InventoryItemIndex.Empty);

        Json(read.Inventory).ShouldBe(FullRead(path));
        read.Inventory.Projects[1].Instances[1].Puppet.ShouldBe(["base", "web"]);
        FirstReadIndex(path).ShouldNotBeNull().Count.ShouldBe(2);
    }

    [Fact]
    public void Comments_and_blank_lines_between_projects_belong_to_the_project_above()
    {
        var path = Write("""
            # The inventory
            projects:   # all of them

              # first
              - name: a
            # between, at column 0

              - name: b
                description: x   # trailing
                # inside
                members: [ { user: Alice } ]
            # the end
            """);
        var known = FirstReadIndex(path).ShouldNotBeNull();
        Json(ReadItems(path, InventoryItemIndex.Empty).Inventory).ShouldBe(FullRead(path));

        Write(File.ReadAllText(path).Replace("# between", "# in between", StringComparison.Ordinal), path);
        var second = ReadItems(path, known);

        second.Parsed.ShouldBe(1);
        Json(second.Inventory).ShouldBe(FullRead(path));
    }

    [Theory]
    [InlineData("projects:\n- name: a\n- name: b\n  members:\n  - user: Alice\n")]            // items at column 0
    [InlineData("---\nprojects:\n  - name: a\n  - name: b\n")]                                 // one explicit document
    [InlineData("\uFEFFprojects:\n  - name: a\n  - name: b\n")]                                // byte order mark
    [InlineData("projects:\r\n  - name: a\r\n    description: x\r\n  - name: b\r\n")]          // CRLF
    [InlineData("projects:\n  - name: a\n  - name: b")]                                        // no final line break
    [InlineData("projects:\n  -\n    name: a\n  - name: b\n")]                                 // an entry's content on the next line
    [InlineData("projects:\n  - name: a\n    description: |\n      two\n      lines\n\n  - name: b\n")] // block scalar
    public void Plain_layouts_read_item_by_item_as_the_whole_file_reader_reads_them(string text)
    {
        var path = Write(text);

        var read = StaticInventorySource.ReadItems(path, InventoryItemIndex.Empty);

        read.ShouldNotBeNull();
        Json(read.Inventory).ShouldBe(FullRead(path));
        FirstReadIndex(path).ShouldNotBeNull().Count.ShouldBe(read.Inventory.Projects.Count);
    }

    [Theory]
    [InlineData("projects: [ { name: a }, { name: b } ]\n")]                                    // flow list
    [InlineData("projects:\n  [ { name: a },\n    { name: b } ]\n")]
    [InlineData("projects:\n  - name: a\n---\nprojects: []\n")]                                 // second document
    [InlineData("projects:\n  - name: a\n...\n")]                                               // document end
    [InlineData("%YAML 1.1\n---\nprojects:\n  - name: a\n")]                                    // directive
    [InlineData("projects:\n  - name: a\nother: 1\n")]                                          // another key
    [InlineData("other: 1\nprojects:\n  - name: a\n")]
    [InlineData("projects:\n  - name: a\n  other: 1\n")]                                        // a line at the items' indent
    [InlineData("projects:\n  - name: a\n - name: b\n")]                                        // less indented
    [InlineData("projects:\n  - name: a\n\t- name: b\n")]                                       // tab
    [InlineData("projects:\n  - name: a\r  - name: b\n")]                                       // lone CR
    [InlineData("projects:\n  - name: a\n    description: x\u2028  - name: b\n")]               // LS, a line break to YamlDotNet
    [InlineData("projects:\n  - &p { name: a }\n  - name: b\n")]                                // anchored project
    [InlineData("projects:\n  - name: \"a\n  - b\"\n")]                                         // quoted scalar across an item start
    [InlineData("projects:\n  - { name: a,\n  - b }\n")]                                        // flow mapping across an item start
    [InlineData("projects:\n  - name: 'a\n  - b'\n")]                                         // one project, "a - b"
    [InlineData("projects:\n- { name: a, description: x\n- y }\n")]
    [InlineData("projects:\n")]
    [InlineData("projects: []\n")]
    [InlineData("")]
    public void Unusual_layouts_read_as_a_whole_with_the_same_result(string text)
    {
        var path = Write(text);

        StaticInventorySource.ReadItems(path, InventoryItemIndex.Empty).ShouldBeNull();
        FirstReadIndex(path).ShouldBeNull();
        Outcome(() => StaticInventorySource.ReadFile(path)).ShouldBe(FullRead(path));
    }

    [Fact]
    public void A_quoted_name_across_an_entry_line_is_one_project_and_the_first_read_leaves_no_index()
    {
        // The line scan splits at "  - b'", inside the quotes: two items, where the whole-file reader reads one
        // project. The counts differ, so no item is taken for a whole project.
        var path = Write("projects:\n  - name: 'a\n  - b'\n  - name: c\n");

        var (inventory, index) = StaticInventorySource.ReadWhole(path);

        inventory.Projects.Select(p => p.Name).ShouldBe(["a - b", "c"]);
        index.ShouldBeNull();
        StaticInventorySource.ReadItems(path, InventoryItemIndex.Empty).ShouldBeNull();
        Json(StaticInventorySource.ReadFile(path)).ShouldBe(FullRead(path));
    }

    [Fact]
    public void A_file_larger_than_the_read_buffer_with_a_project_larger_than_it_reads_right()
    {
        var items = Enumerable.Range(1, 400).Select(p => Item($"p{p}")).ToList();
        items[200] = Item("huge", instances: 1500);
        var path = Write(Inventory(items));
        new FileInfo(path).Length.ShouldBeGreaterThan(3 * 64 * 1024);

        var first = ReadItems(path, InventoryItemIndex.Empty);
        Json(first.Inventory).ShouldBe(FullRead(path));
        var known = FirstReadIndex(path).ShouldNotBeNull();
        known.Count.ShouldBe(400);

        items[399] = Item("p400", instances: 4);
        Write(Inventory(items), path);
        var second = ReadItems(path, known);

        second.Parsed.ShouldBe(1);
        Json(second.Inventory).ShouldBe(FullRead(path));
        second.Inventory.Projects[200].Instances.Count.ShouldBe(1500);
    }

    [Fact]
    public void The_same_text_hashes_alike_and_a_changed_byte_or_length_does_not()
    {
        var text = Encoding.UTF8.GetBytes(Item("p1"));

        InventoryItemIndex.Hash(text).ShouldBe(InventoryItemIndex.Hash(text.ToArray()));
        InventoryItemIndex.Hash(text).ShouldNotBe(InventoryItemIndex.Hash(text.AsSpan(0, text.Length - 1)));
        InventoryItemIndex.Hash([0, 0, 0, 0, 1]).ShouldNotBe(InventoryItemIndex.Hash([0, 0, 0, 1]));
        var changed = text.ToArray();
        changed[^3] ^= 1;
        InventoryItemIndex.Hash(text).ShouldNotBe(InventoryItemIndex.Hash(changed));
    }

    private static string Item(string name, string description = "A project", int instances = 2)
    {
        var item = new StringBuilder();
        item.Append(CultureInfo.InvariantCulture, $"  - name: {name}\n    description: \"{description.Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n");
        item.Append(CultureInfo.InvariantCulture, $"    members:\n      - {{ user: U{name}, role: projectadmin }}\n    instances:\n");
        for (var i = 1; i <= instances; i++)
            item.Append(CultureInfo.InvariantCulture, $"      - {{ name: {name}-{i}, state: ACTIVE, ip: 10.0.{i / 250}.{i % 250}, created: 2026-11-01T10:00:00Z, puppet: [base] }}\n");
        return item.ToString();
    }

    private static string Inventory(IEnumerable<string> items) => "projects:\n" + string.Concat(items);

    /// <summary>Writes a new file, or rewrites one with a later modification time (as an edit would).</summary>
    private string Write(string text, string? path = null)
    {
        path ??= Path.Combine(_dir.Path, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, text, new UTF8Encoding(false));
        _stamp = _stamp.AddSeconds(1);
        File.SetLastWriteTimeUtc(path, _stamp);
        return path;
    }

    /// <summary>The index a first read (the whole-file reader) leaves; null for none or a bad file.</summary>
    private static InventoryItemIndex? FirstReadIndex(string path)
    {
        try
        {
            return StaticInventorySource.ReadWhole(path).Items;
        }
        catch (YamlFileException)
        {
            return null;
        }
    }

    private static ItemRead ReadItems(string path, InventoryItemIndex known) =>
        StaticInventorySource.ReadItems(path, known).ShouldNotBeNull();

    /// <summary>What the whole-file reader makes of the file: the inventory as JSON, or its error.</summary>
    private static string FullRead(string path) => Outcome(() => StaticInventorySource.Parse(path, File.ReadAllText(path)));

    private static string Outcome(Func<Inventory> read)
    {
        try
        {
            return Json(read());
        }
        catch (SourceException e)
        {
            return e.Message;
        }
    }

    private static string Json(Inventory inventory) => JsonSerializer.Serialize(inventory);
}
