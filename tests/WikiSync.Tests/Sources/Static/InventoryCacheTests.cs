using System.Text;
using System.Text.Json;
using WikiSync.Model;
using WikiSync.Sources;
using WikiSync.Sources.Static;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Sources.Static;

/// <summary>
/// Issue 12 §7: the parsed inventory is kept in the state folder (inventory.cache), keyed by the file's
/// SHA-256 and the build; a new process reading the same bytes skips the parse. Each test uses its own file
/// path, so the in-process memory of the last read (by path, size and time) never answers for the cache.
/// </summary>
public sealed class InventoryCacheTests
{
    private const string Sample = """
        projects:
          - name: bots
            description: Infrastructure for wiki bots
            members:
              - { user: Alice, role: projectadmin }
            instances:
              - { name: bots-web-1, id: 6c1f, state: ACTIVE, ip: 172.16.0.11, image: debian-12, flavor: small,
                  created: 2026-11-01T10:00:00Z, puppet: [base, "exim::simple-mail-sender"] }
          - name: empty
        """;

    private static readonly Inventory Other = new([new Project("from-the-cache", "", [], [])]);

    private static byte[] HashOf(string path) => InventoryCache.HashOf(File.ReadAllBytes(path));

    private static string CachePath(TempFolder dir) => Path.Combine(dir.Path, "state", InventoryCache.FileName);

    private static string Json(Inventory inventory) => JsonSerializer.Serialize(inventory);

    private static (TempFolder Dir, string File, string State) Folder(string yaml = Sample)
    {
        var dir = new TempFolder();
        var file = dir.Write("inventory.yaml", yaml);
        var state = Path.Combine(dir.Path, "state");
        Directory.CreateDirectory(state);
        return (dir, file, state);
    }

    [Fact]
    public void Parsed_file_is_kept_in_the_state_folder_as_it_was_read()
    {
        var (dir, file, state) = Folder();
        using var _ = dir;

        var parsed = StaticInventorySource.ReadFile(file, state);

        File.Exists(CachePath(dir)).ShouldBeTrue();
        Json(InventoryCache.Load(state, HashOf(file)).ShouldNotBeNull()).ShouldBe(Json(parsed));
        Json(parsed).ShouldBe(Json(StaticInventorySource.Parse(file, Sample)));
    }

    [Fact]
    public void Same_bytes_read_by_a_new_process_come_from_the_cache()
    {
        var (dir, file, state) = Folder();
        using var _ = dir;
        InventoryCache.Save(state, HashOf(file), Other);

        Json(StaticInventorySource.ReadFile(file, state)).ShouldBe(Json(Other));
    }

    [Fact]
    public void Changed_file_is_parsed_again_and_kept()
    {
        var (dir, file, state) = Folder();
        using var _ = dir;
        InventoryCache.Save(state, InventoryCache.HashOf(Encoding.UTF8.GetBytes(Sample + "\n")), Other);

        var read = StaticInventorySource.ReadFile(file, state);

        read.Projects.Select(p => p.Name).ShouldBe(["bots", "empty"]);
        Json(InventoryCache.Load(state, HashOf(file)).ShouldNotBeNull()).ShouldBe(Json(read));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("empty")]
    [InlineData("other build")]
    public void Damaged_cache_is_parsed_again_never_an_error(string damage)
    {
        var (dir, file, state) = Folder();
        using var _ = dir;
        InventoryCache.Save(state, HashOf(file), Other);
        var bytes = File.ReadAllBytes(CachePath(dir));
        switch (damage)
        {
            case "garbage":
                bytes.AsSpan(80).Fill(0x5A); // past the header: the projects themselves
                File.WriteAllBytes(CachePath(dir), bytes);
                break;
            case "truncated":
                File.WriteAllBytes(CachePath(dir), bytes[..^10]);
                break;
            case "empty":
                File.WriteAllBytes(CachePath(dir), []);
                break;
            default:
                // The build's id follows the header's length-prefixed text.
                var start = Encoding.UTF8.GetByteCount("wikisync inventory cache 1") + 1;
                bytes[start] ^= 0xff;
                File.WriteAllBytes(CachePath(dir), bytes);
                break;
        }

        var read = StaticInventorySource.ReadFile(file, state);

        read.Projects.Select(p => p.Name).ShouldBe(["bots", "empty"]);
        Json(InventoryCache.Load(state, HashOf(file)).ShouldNotBeNull()).ShouldBe(Json(read));
    }

    [Fact]
    public void Cache_that_cannot_be_written_costs_nothing_but_the_next_parse()
    {
        using var dir = new TempFolder();
        var file = dir.Write("inventory.yaml", Sample);

        StaticInventorySource.ReadFile(file, Path.Combine(dir.Path, "no-such-state-folder")).Projects.Count.ShouldBe(2);

        Directory.Exists(Path.Combine(dir.Path, "no-such-state-folder")).ShouldBeFalse();
    }

    [Fact]
    public void File_with_an_error_is_not_kept_and_still_says_where()
    {
        var (dir, file, state) = Folder("projects:\n  - name: \"\"\n");
        using var _ = dir;

        var e = Should.Throw<SourceException>(() => StaticInventorySource.ReadFile(file, state));

        e.Message.ShouldContain("inventory.yaml:2:");
        File.Exists(CachePath(dir)).ShouldBeFalse();
    }

    [Fact]
    public void Every_field_survives_the_cache()
    {
        using var dir = new TempFolder();
        var inventory = new Inventory(
        [
            new Project("p", "d", [new Member("u", "r", "Display"), new Member("v", "member")],
            [
                new Instance("i", "id", "ACTIVE", ["10.0.0.1", "fe80::1"], "img", "fl", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
                    ["a", "b"], new Dictionary<string, string> { ["k"] = "v" }) { PowerState = "Running", TaskState = "none", VmState = "active" },
                new Instance("j", "", "", [], "", "", null, [], new Dictionary<string, string>()),
            ]),
        ]);
        var hash = InventoryCache.HashOf([1, 2, 3]);

        InventoryCache.Save(dir.Path, hash, inventory);

        Json(InventoryCache.Load(dir.Path, hash).ShouldNotBeNull()).ShouldBe(Json(inventory));
        InventoryCache.Load(dir.Path, InventoryCache.HashOf([1, 2, 4])).ShouldBeNull();
    }
}
