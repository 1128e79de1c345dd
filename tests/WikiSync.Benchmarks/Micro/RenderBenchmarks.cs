using System.Globalization;
using BenchmarkDotNet.Attributes;
using WikiSync.IntegrationTests.Support;
using WikiSync.Model;
using WikiSync.Rendering;

namespace WikiSync.Benchmarks.Micro;

/// <summary>
/// Issue 6 (c): sections rendered per second for a 20-row instance table (the shipped template). A section
/// whose inputs did not change comes from the render cache (issue 12), as in every pass after the first two;
/// "inputs changed" renders a project that differs each time (fingerprint, Scriban, then kept).
/// </summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private CompiledTemplate _instances = null!;
    private CompiledTemplate _members = null!;
    private RenderContext _context = null!;
    private long _changes;

    public static bool Available => true;

    public static string WhyNot => "";

    [GlobalSetup]
    public void SetUp()
    {
        var templates = TemplateSet.Load(RepoPaths.Templates);
        _instances = templates.Get("instances");
        _members = templates.Get("members");
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var instances = Enumerable.Range(1, 20).Select(i => new Instance(
            string.Create(CultureInfo.InvariantCulture, $"bench-web-{i}"), Guid.NewGuid().ToString(), i % 5 == 0 ? "SHUTOFF" : "ACTIVE",
            [string.Create(CultureInfo.InvariantCulture, $"172.16.0.{i}")], "debian-12", "g3.cores2.ram4", created.AddDays(i),
            ["base", "exim::simple-mail-sender"], new Dictionary<string, string>())).ToList();
        var members = Enumerable.Range(1, 5).Select(i => new Member(string.Create(CultureInfo.InvariantCulture, $"User{i}"), i == 1 ? "projectadmin" : "member")).ToList();
        var project = new Project("bench", "Benchmark project", members, instances);
        _context = new RenderContext(project, [project], [], created, "Nova Resource:bench", new Dictionary<string, string>());
    }

    [Benchmark(Description = "render the instances section, 20-row table")]
    public string RenderInstances() => _instances.Render(_context);

    [Benchmark(Description = "render the instances section, 20-row table, inputs changed each time")]
    public string RenderChangedInstances() =>
        _instances.Render(_context with { Project = _context.Project! with { Description = (++_changes).ToString(CultureInfo.InvariantCulture) } });

    [Benchmark(Description = "render the members section, 5 members")]
    public string RenderMembers() => _members.Render(_context);
}
