using Microsoft.Extensions.Logging;
using WikiSync.Jobs;
using WikiSync.Model;
using WikiSync.Rendering;
using WikiSync.Sources;
using WikiSync.Wiki;

namespace WikiSync.Sync;

/// <summary>
/// Collect and plan: selects the jobs and projects of a request, collects each source once, and renders
/// every job's page title, gathering the sections (with their contexts, rendered later) into one
/// <see cref="PagePlan"/> per page. Touches no wiki.
/// </summary>
internal sealed class SyncPlanner(
    JobCatalog jobs,
    ISectionTemplates templates,
    IInventorySource inventory,
    ILogEntryReader? entries,
    TimeProvider time,
    ILogger log)
{
    private readonly JobCatalog _jobs = jobs;
    private readonly ISectionTemplates _templates = templates;
    private readonly IInventorySource _inventory = inventory;
    private readonly ILogEntryReader? _entries = entries;
    private readonly TimeProvider _time = time;
    private readonly ILogger _log = log;

    /// <summary>The inventory source, as the operator knows it.</summary>
    public string SourceName => _inventory.Describe();

    /// <param name="rendering">Called once the pass is known to render something, before it does.</param>
    public async Task<(List<PagePlan> Plans, List<JobProblem> Problems)> PlanAsync(SyncRequest request, CancellationToken cancellationToken, Action? rendering = null)
    {
        var problems = new List<JobProblem>();
        var jobs = SelectJobs(request, problems);
        if (jobs.Count == 0)
            return ([], problems);

        Inventory inventory;
        try
        {
            // A source that does not observe the token (a blocking client underneath) is let go at the
            // pass's deadline all the same; what it throws later is observed, not raised.
            var collecting = _inventory.CollectAsync(CollectedFor(request, jobs), cancellationToken);
            _ = collecting.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            inventory = await collecting.WaitAsync(cancellationToken);
        }
        catch (SourceException e)
        {
            // No page is rendered from a source that failed: an empty list must never replace a full one.
            _log.LogError("Source {Source} failed, its jobs are skipped and their pages left as they are: {Reason}", _inventory.Describe(), e.Message);
            problems.AddRange(jobs.Select(j => new JobProblem(j.Name, $"source {_inventory.Describe()} failed: {e.Message}")));
            return ([], problems);
        }

        var projects = SelectProjects(inventory, request, problems);
        rendering?.Invoke();
        var entries = new SalEntries(_entries, request.SalWithheld);
        // Keyed by the page the wiki and its readers see, so two titles that land on one page are one plan.
        var plans = new Dictionary<string, PagePlan>(StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        await PrefetchSalAsync(jobs, projects, entries, now, cancellationToken);
        foreach (var job in jobs)
        {
            try
            {
                await PlanJobAsync(job, inventory, projects, request, entries, now, plans, cancellationToken);
            }
            catch (SourceException e)
            {
                _log.LogError("Job {Job} skipped: its source failed: {Reason}", job.Name, e.Message);
                problems.Add(new JobProblem(job.Name, e.Message));
            }
        }
        foreach (var plan in plans.Values)
            FailCollision(plan);
        return (plans.Values.ToList(), problems);
    }

    /// <summary>
    /// A page wanted by two names (<c>foo</c> and <c>Foo</c>, <c>a_b</c> and <c>a b</c>, a project called
    /// <c>Foo/SAL</c> and project Foo's log, one called <c>Projects</c> and the index) is written for neither:
    /// written for both, each pass would undo the other's sections.
    /// </summary>
    private void FailCollision(PagePlan plan)
    {
        var owners = plan.Claims.DistinctBy(c => c.Project).ToList();
        if (owners.Count < 2)
            return;
        var names = string.Join(" and ", plan.Claims.DistinctBy(c => (c.Project, c.Title))
            .Select(c => $"\"{c.Title}\" ({(c.Project is null ? "all projects" : $"project {c.Project}")}, job {c.Job})"));
        _log.LogError("Page {Title} is wanted by more than one name, written for none: {Names}", plan.Title, names);
        plan.Failures.Add($"these land on one wiki page, so it is written for neither: {names}");
    }

    /// <summary>
    /// The SAL entries of every project the per-project SAL jobs of this pass render, read in one go: the
    /// widest window among them (the full log's months, the recent section's days), never more.
    /// </summary>
    private static async Task PrefetchSalAsync(List<JobDefinition> jobs, List<Project> projects, SalEntries entries, DateTimeOffset now, CancellationToken ct)
    {
        // Every per-project SAL page names its project's archive months, and the archive job has a page per month.
        if (jobs.Any(j => j.Source == JobSource.Sal && j.ForEach is ForEach.Project or ForEach.SalMonth))
            await entries.PrefetchMonthsAsync(projects, now, ct);
        var sal = jobs.Where(j => j.Source == JobSource.Sal && j.ForEach == ForEach.Project).ToList();
        if (sal.Count == 0)
            return;
        var starts = sal.Select(j => SalEntries.WindowStart(j.Parameters, now)).ToList();
        await entries.PrefetchAsync(projects, starts.Any(s => s is null) ? null : starts.Min(), ct);
    }

    private List<JobDefinition> SelectJobs(SyncRequest request, List<JobProblem> problems)
    {
        var wanted = request.Jobs.Count == 0 ? null : request.Jobs.ToHashSet(StringComparer.Ordinal);
        foreach (var broken in _jobs.Problems.Where(p => wanted is null || wanted.Contains(p.Job)))
        {
            _log.LogError("Job {Job} skipped: {Reason}", broken.Job, broken.Message);
            problems.Add(new JobProblem(broken.Job, broken.Message));
        }
        var jobs = new List<JobDefinition>();
        foreach (var job in _jobs.Jobs.Where(j => wanted is null || wanted.Contains(j.Name)))
        {
            if (_templates.ProblemOf(job.Template) is { } templateProblem)
            {
                _log.LogError("Job {Job} skipped: its template is broken: {Reason}", job.Name, templateProblem);
                problems.Add(new JobProblem(job.Name, templateProblem));
            }
            else if (job.CreatePages && _templates.ProblemOf(job.Skeleton) is { } skeletonProblem)
            {
                _log.LogError("Job {Job} skipped: its skeleton template is broken: {Reason}", job.Name, skeletonProblem);
                problems.Add(new JobProblem(job.Name, skeletonProblem));
            }
            else if (job.Source == JobSource.Sal && _entries is null)
            {
                // Not a failure: a process without the SAL store (e.g. a bare sync) leaves SAL pages alone.
                _log.LogWarning("Job {Job} skipped: the Server Admin Log store is not available in this process", job.Name);
            }
            else
            {
                jobs.Add(job);
            }
        }
        foreach (var name in wanted ?? [])
        {
            if (_jobs.Find(name) is null && _jobs.Problems.All(p => p.Job != name))
                problems.Add(new JobProblem(name, $"no job named \"{name}\" (known: {string.Join(", ", _jobs.Jobs.Select(j => j.Name))})"));
        }
        return jobs;
    }

    /// <summary>
    /// The projects a source may collect alone for this pass (empty: all): those the request names, when every
    /// page the pass renders is one of theirs. A page about all projects needs every project current.
    /// </summary>
    private static IReadOnlyCollection<string> CollectedFor(SyncRequest request, List<JobDefinition> jobs) =>
        jobs.Any(j => j.ForEach == ForEach.None && PlansAllProjectsPage(j, request)) ? [] : request.Projects;

    /// <summary>A page about all projects follows a project filter only when the job was asked for by name.</summary>
    private static bool PlansAllProjectsPage(JobDefinition job, SyncRequest request) =>
        request.Projects.Count == 0 || request.Jobs.Contains(job.Name);

    private static List<Project> SelectProjects(Inventory inventory, SyncRequest request, List<JobProblem> problems)
    {
        if (request.Projects.Count == 0)
            return inventory.Projects.ToList();
        var selected = new List<Project>();
        foreach (var name in request.Projects)
        {
            if (inventory.Find(name) is { } project)
                selected.Add(project);
            else
                problems.Add(new JobProblem("(project)", $"no project named \"{name}\" in the inventory"));
        }
        return selected;
    }

    private async Task PlanJobAsync(JobDefinition job, Inventory inventory, List<Project> projects, SyncRequest request,
        SalEntries entries, DateTimeOffset now, Dictionary<string, PagePlan> plans, CancellationToken ct)
    {
        switch (job.ForEach)
        {
            case ForEach.None:
                if (!PlansAllProjectsPage(job, request))
                    return;
                var latest = job.Source == JobSource.Sal ? await entries.LatestPerProjectAsync(inventory.Projects, ct) : [];
                Plan(job, new RenderContext(null, inventory.Projects, latest, now, "", job.Parameters), plans);
                break;
            case ForEach.Project:
                foreach (var project in projects)
                {
                    if (job.Source != JobSource.Sal)
                    {
                        Plan(job, new RenderContext(project, inventory.Projects, [], now, "", job.Parameters), plans);
                        continue;
                    }
                    Plan(job, await entries.ProjectPageAsync(project, inventory.Projects, job.Parameters, now, ct), plans);
                }
                break;
            case ForEach.SalMonth:
                foreach (var project in projects)
                {
                    var months = await entries.ArchiveMonthsAsync(project.Name, now, ct);
                    // A closed month does not change: a pass about new entries names the few it needs.
                    foreach (var month in request.ArchiveMonths is { } only ? months.Where(only.Contains) : months)
                    {
                        Plan(job, await entries.ArchivePageAsync(project, inventory.Projects, job.Parameters, month, now, ct), plans);
                    }
                }
                break;
        }
    }

    private void Plan(JobDefinition job, RenderContext context, Dictionary<string, PagePlan> plans)
    {
        string title;
        try
        {
            title = _templates.RenderTitle(job.Page, context, job.File);
        }
        catch (TemplateRenderException e)
        {
            var what = context.Project is null ? "" : $" for project {context.Project.Name}";
            var key = $"(job {job.Name}{what})";
            _log.LogError("Job {Job}: page title could not be rendered{What}: {Reason}", job.Name, what, e.Message);
            Get(plans, key).Failures.Add($"page title: {e.Message}");
            return;
        }
        if (string.IsNullOrWhiteSpace(title))
        {
            Get(plans, $"(job {job.Name})").Failures.Add($"page title pattern \"{job.Page}\" rendered to nothing");
            return;
        }
        var plan = Get(plans, WikiTitle.SamePageKey(title), title);
        plan.Claims.Add(new PageClaim(context.Project?.Name, job.Name, title));
        context = context with { PageTitle = title };
        if (plan.JobOf(job.Section) is { } other)
        {
            // Another project's title landing here is reported as that (below), not as a section written twice.
            if (plan.Claims.Any(c => c.Project != context.Project?.Name))
                return;
            plan.Failures.Add($"section {job.Section} is written by both job {other} and job {job.Name}");
            return;
        }
        plan.RenderLater(job, context);
        if (job.CreatePages && plan.Creator is null)
            plan.Creator = (job, context);
    }

    private static PagePlan Get(Dictionary<string, PagePlan> plans, string key, string? title = null)
    {
        if (!plans.TryGetValue(key, out var plan))
            plans[key] = plan = new PagePlan(title ?? key);
        return plan;
    }
}
