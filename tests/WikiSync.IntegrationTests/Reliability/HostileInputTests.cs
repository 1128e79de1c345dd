using System.Globalization;
using System.Text.RegularExpressions;
using WikiSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace WikiSync.IntegrationTests.Reliability;

/// <summary>
/// Issue 7's hostile corpus through the shipped templates: a project whose description, member names and
/// instance names are hostile strings is synced beside a benign twin of the same shape; the wiki's own
/// parser (action=parse) must find the same structure in both pages: headings, templates, categories, links.
/// </summary>
[Collection(LiveWikiCollection.Name)]
public sealed partial class HostileInputTests(LocalWikiFixture wiki, ITestOutputHelper output)
{
    /// <summary>
    /// The render room's corpus, tests/WikiSync.Tests/Rendering/hostile-strings.txt: one string a line, "##" lines
    /// are comments, escapes \n \r \t \\ \uXXXX (the format is documented at the file's top).
    /// </summary>
    public static IReadOnlyList<string> Corpus()
    {
        var file = Path.Combine(RepoPaths.Root, "tests", "WikiSync.Tests", "Rendering", "hostile-strings.txt");
        return [.. File.ReadAllLines(file).Where(l => l.Length > 0 && !l.StartsWith("##", StringComparison.Ordinal)).Select(Unescape)];
    }

    private static string Unescape(string line) => Escape().Replace(line, m => m.Value[1] switch
    {
        'n' => "\n",
        'r' => "\r",
        't' => "\t",
        '\\' => "\\",
        _ => ((char)int.Parse(m.Value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)).ToString(),
    });

    [GeneratedRegex(@"\\(?:[nrt\\]|u[0-9A-Fa-f]{4})")]
    private static partial Regex Escape();

    [GeneratedRegex(@"^User:U(\d+)(?: |$)")]
    private static partial Regex MemberLink();

    [Fact]
    public async Task Hostile_values_in_every_field_leave_the_page_structure_unchanged()
    {
        var corpus = Corpus();
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 2);
        var benign = bed.Projects[0];
        var shape = benign with { Description = "benign description" };
        var hostile = shape with
        {
            Name = bed.Projects[1].Name,
            Description = string.Join(" ", corpus.Take(10)),
            Members = [.. corpus.Select((s, i) => ($"U{i} {s}", i % 2 == 0 ? "member" : "projectadmin"))],
            Instances = [.. corpus.Select((s, i) => InventoryFile.Instance(bed.Projects[1].Name, i + 1, new Random(i)) with
            {
                // An instance must have a name (the inventory refuses a blank one), so blank strings get a letter.
                Name = string.IsNullOrWhiteSpace(s) ? "x" + s : s, Image = s, Flavor = s, Puppet = [s],
            })],
        };
        var twin = shape with
        {
            Members = [.. corpus.Select((_, i) => ($"U{i} plain", i % 2 == 0 ? "member" : "projectadmin"))],
            Instances = [.. corpus.Select((_, i) => InventoryFile.Instance(benign.Name, i + 1, new Random(i)) with { Name = $"plain-{i}", Image = "img", Flavor = "fl", Puppet = ["p"] })],
        };
        bed.Projects = [twin, hostile];
        bed.WriteInventory();
        var run = await WikiSyncProcess.RunAsync(["sync", "--job", "instances", "--job", "members", "--job", "sal-recent"], bed.Env);
        SyncBed.Keep("hostile", run.Output);
        run.ExitCode.ShouldBe(0, run.Output);

        using var reader = new ApiSession(wiki.Api);
        var plain = await reader.ParseAsync(bed.Titles[0]);
        var bad = await reader.ParseAsync(bed.Titles[1]);
        var changes = new List<string>();
        void Same(string what, IReadOnlyList<string> a, IReadOnlyList<string> b)
        {
            if (a.Count != b.Count)
                changes.Add($"{what}: {a.Count} in the benign page, {b.Count} in the hostile one: [{string.Join(" | ", b)}]");
        }
        Same("headings", plain.Sections, bad.Sections);
        Same("templates", plain.Templates, bad.Templates);
        Same("categories", plain.Categories, bad.Categories);
        // A member name that is no valid user name is written as plain text, not as a link, so the hostile
        // page may have fewer links; every link it has must still be one member's own, once, or the page's own
        // subpages (sal-recent links to the full log).
        var foreign = bad.Links.Where(l => !MemberLink().IsMatch(l) && !l.StartsWith(bed.Titles[1] + "/", StringComparison.Ordinal)).ToList();
        var twice = bad.Links.Select(l => MemberLink().Match(l)).Where(m => m.Success).GroupBy(m => m.Groups[1].Value).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (foreign.Count > 0 || twice.Count > 0 || bad.Links.Count > plain.Links.Count)
            changes.Add($"links: not a member's own: [{string.Join(" | ", foreign)}]; members linked twice: [{string.Join(", ", twice)}]");
        Same("external links", plain.ExternalLinks, bad.ExternalLinks);
        var text = (await reader.ReadAsync(bed.Titles[1])).Text;
        if (MarkerScan.Of(text) is { IsBroken: true } scan)
            changes.Add("markers: " + scan.Problem);
        output.WriteLine($"{corpus.Count} hostile strings, {changes.Count} structure changes");
        changes.ForEach(output.WriteLine);
        SoakFigures.Write("hostile", new Dictionary<string, long> { ["hostile_tried"] = corpus.Count, ["hostile_changes"] = changes.Count });
        changes.ShouldBeEmpty();
    }
}
