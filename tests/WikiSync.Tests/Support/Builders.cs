using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WikiSync.Jobs;
using WikiSync.Model;
using WikiSync.Rendering;
using WikiSync.Sections;
using WikiSync.Sync;
using WikiSync.Testing;

namespace WikiSync.Tests.Support;

/// <summary>Small builders for jobs, projects and a runner wired to fakes.</summary>
public static class Builders
{
    public static JobDefinition Job(string name, string section, string page = "Nova Resource:{{ project.name }}",
        bool createPages = true, Placement? placement = null, ForEach forEach = ForEach.Project, JobSource source = JobSource.Inventory,
        HumanEditPolicy humanEdits = HumanEditPolicy.Replace) =>
        new(name, $"jobs/{name}.yaml", null, source, name, page, section, createPages,
            JobDefinition.DefaultSkeleton, placement ?? Placement.End, forEach, new Dictionary<string, string>(), humanEdits);

    public static Project Project(string name, string description = "", params string[] instances) =>
        new(name, description, [new Member("Alice", "projectadmin")],
            instances.Select(i => new Instance(i, "id-" + i, "ACTIVE", ["10.0.0.1"], "debian-12", "small", null, [], new Dictionary<string, string>())).ToList());

    public static Dictionary<string, string> Templates() => new()
    {
        ["instances"] = "{{ for i in project.instances }}* {{ i.name }}\n{{ end }}",
        ["members"] = "{{ for m in project.members }}* {{ m.user }} ({{ m.role }})\n{{ end }}",
        ["page-skeleton"] = "Hand-written introduction.\n",
        ["index"] = "{{ for p in projects }}* {{ p.name }}\n{{ end }}",
    };
}


/// <summary>A runner over fakes, with everything a test may want to look at.</summary>
public sealed class RunnerRig
{
    public RunnerRig(IReadOnlyList<JobDefinition> jobs, params Project[] projects)
    {
        Source = new FakeInventorySource(new Inventory(projects));
        Jobs = new JobCatalog(jobs, []);
    }

    public InMemoryWiki Wiki { get; } = new();

    public FakeInventorySource Source { get; }

    public JobCatalog Jobs { get; set; }

    public Dictionary<string, string> TemplateTexts { get; } = Builders.Templates();

    public IPlacementLedger Ledger { get; set; } = new InMemoryPlacementLedger();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public ILogEntryReader? Entries { get; set; }

    public string ShutoffPage { get; set; } = "User:WikiSyncBot/Shutoff";

    /// <summary>What the runner verified on pages; null runs it without (every page read, as before).</summary>
    public IPageVerifications? Verifications { get; set; } = new InMemoryPageVerifications();

    /// <summary>What the runner wrote in each section; null runs it without (no edit inside a section is noticed).</summary>
    public InMemoryWrittenSections? Written { get; set; } = new();

    /// <summary>Counts the sections each pass renders (<see cref="CountingTemplates.Renders"/>).</summary>
    public CountingTemplates? Counting { get; private set; }

    public SyncRunner Runner() => new(Wiki, Jobs, Counting = new CountingTemplates(InlineTemplates.Sections(TemplateTexts)), Source, Ledger,
        new SyncOptions(ShutoffPage), Time, NullLogger<SyncRunner>.Instance, Entries, Verifications, Written);

    public Task<SyncReport> RunAsync(SyncRequest? request = null) => Runner().RunAsync(request ?? SyncRequest.All, CancellationToken.None);
}

/// <summary>The templates, counting the sections rendered through them.</summary>
public sealed class CountingTemplates(ISectionTemplates inner) : ISectionTemplates
{
    private int _renders;

    public int Renders => _renders;

    public IReadOnlyList<string> Problems => inner.Problems;

    public bool Exists(string name) => inner.Exists(name);

    public string? ProblemOf(string name) => inner.ProblemOf(name);

    public string Render(string name, RenderContext context)
    {
        Interlocked.Increment(ref _renders);
        return inner.Render(name, context);
    }

    public string? InputsOf(string name, RenderContext context) => inner.InputsOf(name, context);

    public string RenderTitle(string pattern, RenderContext context, string source) => inner.RenderTitle(pattern, context, source);
}
