using System.Reflection;
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

    /// <summary>
    /// The goldens were read by a person against one Scriban: a new version can change whitespace, escaping
    /// or builtins (and what <c>TemplateAnalysis</c> must treat as impure) without any golden failing loudly,
    /// so it stops here until someone has re-read them. Not rewritten by WIKISYNC_UPDATE_GOLDEN.
    /// </summary>
    [Fact]
    public void The_goldens_were_read_against_the_Scriban_in_use()
    {
        var file = Path.Combine(GoldenDir, "scriban-version.txt");
        var recorded = File.ReadAllText(file).Trim();
        var used = typeof(Scriban.Template).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(Scriban.Template).Assembly.GetName().Version!.ToString(3);

        if (used != recorded)
            Assert.Fail($"Scriban changed from {recorded} to {used}: re-read the goldens, then update {Path.GetRelativePath(Repository.Root, file)}");
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
