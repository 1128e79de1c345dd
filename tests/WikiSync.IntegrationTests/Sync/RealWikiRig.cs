using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.Jobs;
using WikiSync.Model;
using WikiSync.Sections;
using WikiSync.Sources;
using WikiSync.Sync;
using WikiSync.Testing;
using WikiSync.Wiki;

namespace WikiSync.IntegrationTests.Sync;

/// <summary>A SyncRunner against the real wiki with an inventory the test controls and simple templates.</summary>
public sealed class RealWikiRig(IWikiSite wiki)
{
    public static readonly JobDefinition Instances = new("instances", "jobs/instances.yaml", null, JobSource.Inventory, "instances",
        "Nova Resource:{{ project.name }}", "instances", true, JobDefinition.DefaultSkeleton, Placement.End, ForEach.Project, new Dictionary<string, string>());

    public static readonly JobDefinition Members = Instances with
    {
        Name = "members", Template = "members", Section = "members", Placement = new Placement(PlacementKind.AfterSection, "instances"),
    };

    public Inventory Inventory { get; set; } = Inventory.Empty;

    public IWikiSite Wiki { get; set; } = wiki;

    public InMemoryPlacementLedger Ledger { get; } = new();

    public Dictionary<string, string> Templates { get; } = new()
    {
        ["instances"] = "{| class=\"wikitable\"\n! Name !! State\n{{ for i in project.instances }}|-\n| {{ i.name }} || {{ i.state }}\n{{ end }}|}",
        ["members"] = "{{ for m in project.members }}* {{ m.user }} ({{ m.role }})\n{{ end }}",
        ["page-skeleton"] = "Hand-written placeholder.\n",
    };

    public Task<SyncReport> RunAsync(params JobDefinition[] jobs) =>
        new SyncRunner(Wiki, new JobCatalog(jobs.Length == 0 ? [Instances, Members] : jobs, []), InlineTemplates.Sections(Templates),
                new StaticSource(this), Ledger, new SyncOptions("User:WikiSyncBot/Shutoff"), TimeProvider.System, NullLogger<SyncRunner>.Instance)
            .RunAsync(SyncRequest.All, CancellationToken.None);

    public static Project Project(string name, params string[] instances) =>
        new(name, "", [new Member("Alice", "projectadmin")],
            instances.Select(i => new Instance(i, "id", "ACTIVE", [], "", "", null, [], new Dictionary<string, string>())).ToList());

    private sealed class StaticSource(RealWikiRig rig) : IInventorySource
    {
        public string Describe() => "test";

        public Task<Inventory> CollectAsync(CancellationToken cancellationToken) => Task.FromResult(rig.Inventory);
    }
}

/// <summary>Lets a test act between the bot's read and its write (e.g. a second user saving the page).</summary>
public sealed class InterleavingWikiSite(IWikiSite inner, Func<EditRequest, int, Task> beforeEdit) : IWikiSite
{
    public int EditAttempts { get; private set; }

    public Task<IReadOnlyDictionary<string, WikiPage>> ReadPagesAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken) =>
        inner.ReadPagesAsync(titles, cancellationToken);

    public async Task<EditResult> EditAsync(EditRequest request, CancellationToken cancellationToken)
    {
        await beforeEdit(request, ++EditAttempts);
        return await inner.EditAsync(request, cancellationToken);
    }
}
