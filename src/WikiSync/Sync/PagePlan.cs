using WikiSync.Jobs;
using WikiSync.Rendering;
using WikiSync.Sections;

namespace WikiSync.Sync;

/// <summary>
/// Everything one run wants on one page: its sections, in job order. The planner only names them (and
/// the context each is rendered in); a pass renders a page's sections when it comes to that page, so the
/// first edit does not wait for every other page to be rendered (issue 6).
/// </summary>
internal sealed class PagePlan(string title)
{
    private List<(JobDefinition Job, RenderContext Context)>? _unrendered;

    // Section name → the ids of the SAL entries its context hands the template (SAL jobs only).
    private Dictionary<string, long[]>? _carried;

    public string Title { get; } = title;

    /// <summary>The sections rendered so far.</summary>
    public List<PlannedSection> Sections { get; } = [];

    /// <summary>Sections that could not be rendered; the page is then left alone and reported failed.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Who wants this page: each job and project (null: a page about all projects) that rendered its title.</summary>
    public List<PageClaim> Claims { get; } = [];

    /// <summary>The first job that may create the page, with the context its skeleton is rendered in.</summary>
    public (JobDefinition Job, RenderContext Context)? Creator { get; set; }

    /// <summary>Whether every section wanted is rendered (or failed to render).</summary>
    public bool IsRendered => _unrendered is null;

    /// <summary>The sections not rendered yet, with what each is rendered from.</summary>
    public IReadOnlyList<(JobDefinition Job, RenderContext Context)> Unrendered => _unrendered ?? [];

    /// <summary>The sections wanted, rendered or not.</summary>
    public IReadOnlyList<string> SectionNames =>
        [.. Sections.Select(s => s.Name), .. (_unrendered ?? []).Select(u => u.Job.Section)];

    /// <summary>The job that wants <paramref name="section"/> here, if any does.</summary>
    public string? JobOf(string section) =>
        Sections.FirstOrDefault(s => s.Name == section)?.Job ?? _unrendered?.FirstOrDefault(u => u.Job.Section == section).Job?.Name;

    public void RenderLater(JobDefinition job, RenderContext context)
    {
        (_unrendered ??= []).Add((job, context));
        if (job.Source == JobSource.Sal && context.Entries.Count > 0)
            (_carried ??= new(StringComparer.Ordinal))[job.Section] = [.. context.Entries.Select(e => e.Id)];
    }

    /// <summary>
    /// The SAL entries this page's sections carry, leaving out the sections in <paramref name="absent"/>
    /// (an editor removed them and they stay out): which entries the page shows once it is saved or current.
    /// </summary>
    public IReadOnlyList<long> CarriedEntries(IReadOnlyCollection<string>? absent = null)
    {
        if (_carried is null)
            return [];
        return [.. _carried.Where(c => absent is null || !absent.Contains(c.Key)).SelectMany(c => c.Value).Distinct()];
    }

    /// <summary>Renders the sections not rendered yet; one that fails is a failure of the page.</summary>
    public void Render(ISectionTemplates templates)
    {
        if (_unrendered is null)
            return;
        foreach (var (job, context) in _unrendered)
        {
            try
            {
                Sections.Add(new PlannedSection(job.Name, job.Section, templates.Render(job.Template, context), job.Placement));
            }
            catch (TemplateRenderException e)
            {
                Failures.Add($"section {job.Section}: {e.Message}");
            }
        }
        _unrendered = null;
    }
}

/// <summary>One job, for one project (null: all projects), rendered this page's title as <paramref name="Title"/>.</summary>
internal sealed record PageClaim(string? Project, string Job, string Title);

internal sealed record PlannedSection(string Job, string Name, string Text, Placement Placement);

/// <summary>What <see cref="SyncPreview.RenderAsync"/> rendered, and what it could not.</summary>
public sealed record RenderPreview(IReadOnlyList<RenderedSection> Sections, IReadOnlyList<string> Problems);

/// <summary>One rendered section and the page it belongs on.</summary>
public sealed record RenderedSection(string Title, string Section, string Text);

/// <summary>One page decided: <paramref name="Done"/> of <paramref name="Total"/> pages of the pass.</summary>
public sealed record SyncProgress(int Done, int Total, PageOutcome Outcome);
