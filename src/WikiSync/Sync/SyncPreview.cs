using Microsoft.Extensions.Logging;
using WikiSync.Jobs;
using WikiSync.Sources;

namespace WikiSync.Sync;

/// <summary>
/// Renders without reading or writing the wiki: the sections one job would place for one project (or for
/// all projects with for_each none), planned exactly as a pass plans them. What <c>wikisync render</c> prints.
/// </summary>
public sealed class SyncPreview(
    JobCatalog jobs,
    ISectionTemplates templates,
    IInventorySource inventory,
    TimeProvider time,
    ILogger<SyncPreview> log,
    ILogEntryReader? entries = null)
{
    private readonly SyncPlanner _planner = new(jobs, templates, inventory, entries, time, log);

    public async Task<RenderPreview> RenderAsync(string job, string? project, CancellationToken cancellationToken)
    {
        var (plans, problems) = await _planner.PlanAsync(new SyncRequest([job], project is null ? [] : [project], true), cancellationToken);
        foreach (var plan in plans)
            plan.Render(templates);
        var sections = plans.SelectMany(p => p.Sections.Select(s => new RenderedSection(p.Title, s.Name, s.Text))).ToList();
        var failures = problems.Select(p => $"{p.Job}: {p.Reason}")
            .Concat(plans.SelectMany(p => p.Failures.Select(f => $"{p.Title}: {f}")))
            .ToList();
        return new RenderPreview(sections, failures);
    }
}
