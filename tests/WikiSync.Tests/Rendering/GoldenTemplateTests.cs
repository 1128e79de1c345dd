using WikiSync.Rendering;

namespace WikiSync.Tests.Rendering;

/// <summary>
/// Each case is Golden/&lt;template&gt;/&lt;case&gt;.yaml (the RenderContext) beside &lt;case&gt;.wiki (the expected
/// output). Set WIKISYNC_UPDATE_GOLDEN=1 to rewrite the .wiki files after an intended change, then review the diff.
/// </summary>
public sealed class GoldenTemplateTests
{
    private static readonly string GoldenDir = Path.Combine(Repository.RenderingTests, "Golden");
    private static readonly Lazy<TemplateSet> Templates = new(() => TemplateSet.Load(Repository.Templates));

    private static bool Update => Environment.GetEnvironmentVariable("WIKISYNC_UPDATE_GOLDEN") is "1" or "true";

    public static TheoryData<string> Cases => new(
        Directory.EnumerateFiles(GoldenDir, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(GoldenDir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Template_renders_the_golden_output(string file)
    {
        var yamlPath = Path.Combine(GoldenDir, file);
        var template = Path.GetDirectoryName(file)!;
        var context = GoldenContext.Parse(File.ReadAllText(yamlPath), yamlPath);

        var actual = Templates.Value.Get(template).Render(context);

        var wikiPath = Path.ChangeExtension(yamlPath, ".wiki");
        if (Update)
        {
            File.WriteAllText(wikiPath, actual);
            return;
        }

        File.Exists(wikiPath).ShouldBeTrue($"{wikiPath} is missing; run with WIKISYNC_UPDATE_GOLDEN=1 to create it");
        actual.ShouldBe(File.ReadAllText(wikiPath), $"{file}: rerun with WIKISYNC_UPDATE_GOLDEN=1 if the change is intended");
    }

    [Fact]
    public void Shipped_templates_all_parse_and_each_has_a_golden_case()
    {
        var set = Templates.Value;
        set.Problems.ShouldBeEmpty();
        set.Templates.Select(t => t.Name).Order(StringComparer.Ordinal).ShouldBe(
            ["instances", "members", "page-skeleton", "project-index", "sal", "sal-archive", "sal-recent"]);
        foreach (var t in set.Templates)
            Directory.EnumerateFiles(Path.Combine(GoldenDir, t.Name), "*.yaml").ShouldNotBeEmpty(t.Name);
    }
}
