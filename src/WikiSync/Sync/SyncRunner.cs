using DiffPlex.Renderer;
using Microsoft.Extensions.Logging;
using WikiSync.AdminLog;
using WikiSync.Jobs;
using WikiSync.Model;
using WikiSync.Rendering;
using WikiSync.Sections;
using WikiSync.Sources;
using WikiSync.Wiki;

namespace WikiSync.Sync;

/// <summary>
/// The one flow: collect each source once, render every job's section for every page, group the
/// sections of a page into one edit, read all pages in one batch, splice, and save only what changed.
/// One page's failure never stops the others.
/// </summary>
public sealed class SyncRunner : ISyncRunner
{
    private readonly IWikiSite _wiki;
    private readonly JobCatalog _jobs;
    private readonly ISectionTemplates _templates;
    private readonly IInventorySource _inventory;
    private readonly ILogEntryReader? _entries;
    private readonly IPlacementLedger _ledger;
    private readonly SyncOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SyncRunner> _log;

    public SyncRunner(
        IWikiSite wiki,
        JobCatalog jobs,
        ISectionTemplates templates,
        IInventorySource inventory,
        IPlacementLedger ledger,
        SyncOptions options,
        TimeProvider time,
        ILogger<SyncRunner> log,
        ILogEntryReader? entries = null)
    {
        _wiki = wiki;
        _jobs = jobs;
        _templates = templates;
        _inventory = inventory;
        _ledger = ledger;
        _options = options;
        _time = time;
        _log = log;
        _entries = entries;
    }

    public Task<SyncReport> RunAsync(SyncRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, null, cancellationToken);

    /// <summary>The same pass, reporting each page's outcome as it is decided (the CLI's progress bar).</summary>
    public async Task<SyncReport> RunAsync(SyncRequest request, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (plans, problems) = await PlanAsync(request, cancellationToken);
        var outcomes = await ApplyAsync(plans, request, progress, cancellationToken);
        return new SyncReport(outcomes, problems);
    }

    /// <summary>
    /// Renders without reading or writing the wiki: the sections one job would place for one project
    /// (or for all projects with for_each none). What <c>wikisync render</c> prints.
    /// </summary>
    public async Task<RenderPreview> PreviewAsync(string job, string? project, CancellationToken cancellationToken)
    {
        var (plans, problems) = await PlanAsync(new SyncRequest([job], project is null ? [] : [project], true), cancellationToken);
        var sections = plans.SelectMany(p => p.Sections.Select(s => new RenderedSection(p.Title, s.Name, s.Text))).ToList();
        var failures = problems.Select(p => $"{p.Job}: {p.Reason}")
            .Concat(plans.SelectMany(p => p.Failures.Select(f => $"{p.Title}: {f}")))
            .ToList();
        return new RenderPreview(sections, failures);
    }

    private async Task<(List<PagePlan> Plans, List<JobProblem> Problems)> PlanAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        var problems = new List<JobProblem>();
        var jobs = SelectJobs(request, problems);
        if (jobs.Count == 0)
            return ([], problems);

        Inventory inventory;
        try
        {
            inventory = await _inventory.CollectAsync(cancellationToken);
        }
        catch (SourceException e)
        {
            // No page is rendered from a source that failed: an empty list must never replace a full one.
            _log.LogError("Source {Source} failed, its jobs are skipped and their pages left as they are: {Reason}", _inventory.Describe(), e.Message);
            problems.AddRange(jobs.Select(j => new JobProblem(j.Name, $"source {_inventory.Describe()} failed: {e.Message}")));
            return ([], problems);
        }

        var projects = SelectProjects(inventory, request, problems);
        var entries = new SalEntries(_entries);
        var plans = new Dictionary<string, PagePlan>(StringComparer.Ordinal);
        var now = _time.GetUtcNow();
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
        return (plans.Values.ToList(), problems);
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
                // A page about all projects follows a project filter only when the job was asked for by name.
                if (request.Projects.Count > 0 && !request.Jobs.Contains(job.Name))
                    return;
                var latest = job.Source == JobSource.Sal ? await entries.LatestPerProjectAsync(inventory.Projects, ct) : [];
                Plan(job, new RenderContext(null, inventory.Projects, latest, now, "", job.Parameters), plans);
                break;
            case ForEach.Project:
                foreach (var project in projects)
                {
                    var list = job.Source == JobSource.Sal ? SalEntries.Window(await entries.ListAsync(project.Name, ct), job.Parameters, now) : [];
                    var parameters = job.Source == JobSource.Sal
                        ? WithArchiveMonths(job.Parameters, await entries.ListAsync(project.Name, ct), now)
                        : job.Parameters;
                    Plan(job, new RenderContext(project, inventory.Projects, list, now, "", parameters), plans);
                }
                break;
            case ForEach.SalMonth:
                foreach (var project in projects)
                {
                    var all = await entries.ListAsync(project.Name, ct);
                    foreach (var month in SalEntries.ArchiveMonths(all, now))
                    {
                        var parameters = new Dictionary<string, string>(job.Parameters, StringComparer.Ordinal) { ["month"] = month };
                        var inMonth = all.Where(e => SalEntries.MonthOf(e.ReceivedUtc) == month).ToList();
                        Plan(job, new RenderContext(project, inventory.Projects, inMonth, now, "", parameters), plans);
                    }
                }
                break;
        }
    }

    private static Dictionary<string, string> WithArchiveMonths(IReadOnlyDictionary<string, string> parameters, IReadOnlyList<LogEntry> all, DateTimeOffset now) =>
        new(parameters, StringComparer.Ordinal) { ["archive_months"] = string.Join(",", SalEntries.ArchiveMonths(all, now)) };

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
        var plan = Get(plans, title);
        context = context with { PageTitle = title };
        if (plan.Sections.Any(s => s.Name == job.Section))
        {
            var other = plan.Sections.First(s => s.Name == job.Section).Job;
            plan.Failures.Add($"section {job.Section} is written by both job {other} and job {job.Name}");
            return;
        }
        try
        {
            plan.Sections.Add(new PlannedSection(job.Name, job.Section, _templates.Render(job.Template, context), job.Placement));
        }
        catch (TemplateRenderException e)
        {
            plan.Failures.Add($"section {job.Section}: {e.Message}");
            return;
        }
        if (job.CreatePages && plan.Creator is null)
            plan.Creator = (job, context);
    }

    private static PagePlan Get(Dictionary<string, PagePlan> plans, string title)
    {
        if (!plans.TryGetValue(title, out var plan))
            plans[title] = plan = new PagePlan(title);
        return plan;
    }

    private async Task<List<PageOutcome>> ApplyAsync(List<PagePlan> plans, SyncRequest request, IProgress<SyncProgress>? progress, CancellationToken ct)
    {
        var done = 0;
        PageOutcome Report(PageOutcome outcome)
        {
            Decide(outcome);
            progress?.Report(new SyncProgress(++done, plans.Count, outcome));
            return outcome;
        }

        var dryRun = request.DryRun;
        var outcomes = new List<PageOutcome>();
        foreach (var failed in plans.Where(p => p.Failures.Count > 0))
            outcomes.Add(Report(new PageOutcome(failed.Title, PageAction.Failed, failed.SectionNames, string.Join("; ", failed.Failures))));
        var pending = plans.Where(p => p.Failures.Count == 0).ToList();
        if (pending.Count == 0)
            return outcomes;

        var titles = pending.Select(p => p.Title).ToList();
        var shutoff = _options.ShutoffPage;
        if (!dryRun)
            titles.Add(shutoff);
        IReadOnlyDictionary<string, WikiPage> pages;
        try
        {
            pages = await _wiki.ReadPagesAsync(titles.Distinct(StringComparer.Ordinal).ToList(), ct);
        }
        catch (InvalidTitleException e)
        {
            // A title the wiki refuses fails its own page only; the others were read.
            pages = e.ValidPages;
            foreach (var plan in pending.Where(p => e.Reasons.ContainsKey(p.Title)).ToList())
            {
                outcomes.Add(Report(new PageOutcome(plan.Title, PageAction.Failed, plan.SectionNames, $"not a valid page title: {e.Reasons[plan.Title]}")));
                pending.Remove(plan);
            }
        }
        catch (WikiApiException e)
        {
            outcomes.AddRange(pending.Select(p => Report(new PageOutcome(p.Title, PageAction.Failed, p.SectionNames, $"reading the page failed: {e.Message}"))));
            return outcomes;
        }
        if (!dryRun && pages.TryGetValue(shutoff, out var stop) && stop.Exists && !string.IsNullOrWhiteSpace(stop.Text))
        {
            _log.LogWarning("Emergency stop: {Page} is not empty, no edits are made until it is emptied", shutoff);
            outcomes.AddRange(pending.Select(p => Report(new PageOutcome(p.Title, PageAction.Skipped, p.SectionNames, "shutoff"))));
            return outcomes;
        }

        foreach (var plan in pending)
        {
            ct.ThrowIfCancellationRequested();
            // Stopping (SIGTERM) lets the page in hand finish, within a grace period, instead of cutting
            // an edit in half; the next page is not started.
            using var pageCancellation = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
            using var stopping = ct.Register(() => pageCancellation.CancelAfter(_options.StopGrace));
            PageOutcome outcome;
            try
            {
                outcome = pages.TryGetValue(plan.Title, out var page)
                    ? await SyncPageAsync(plan, page, request, pageCancellation.Token)
                    : new PageOutcome(plan.Title, PageAction.Failed, plan.SectionNames, "the wiki did not return the page");
            }
            catch (WikiApiException e)
            {
                outcome = new PageOutcome(plan.Title, PageAction.Failed, plan.SectionNames, e.Message);
            }
            catch (TemplateRenderException e)
            {
                outcome = new PageOutcome(plan.Title, PageAction.Failed, plan.SectionNames, $"skeleton: {e.Message}");
            }
            outcomes.Add(Report(outcome));
        }
        return outcomes;
    }

    private async Task<PageOutcome> SyncPageAsync(PagePlan plan, WikiPage page, SyncRequest request, CancellationToken ct)
    {
        var dryRun = request.DryRun;
        for (var attempt = 0; ; attempt++)
        {
            var decision = await SpliceAsync(plan, page, ct);
            if (decision.Outcome is { } settled)
                return settled;
            var (text, splice) = (decision.Text!, decision.Splice!);
            var sections = splice.Changed.Concat(splice.Added).ToList();
            var action = page.Exists ? PageAction.Updated : PageAction.Created;
            var note = RemovedNote(splice);
            if (dryRun)
            {
                var diff = UnidiffRenderer.GenerateUnidiff(page.Text, text, $"a/{plan.Title}", $"b/{plan.Title}", ignoreWhitespace: false, ignoreCase: false, contextLines: 3);
                return new PageOutcome(plan.Title, action, sections, note, Diff: diff, Text: text);
            }
            var summary = request.Summary ?? Summary(page.Exists, sections);
            try
            {
                var result = await _wiki.EditAsync(new EditRequest(plan.Title, text, summary, page), ct);
                await AfterEditAsync(plan, splice, ct);
                return result.Changed
                    ? new PageOutcome(plan.Title, action, sections, note, result.RevisionId, Text: text)
                    : new PageOutcome(plan.Title, PageAction.Unchanged, plan.SectionNames, note, result.RevisionId, Text: text);
            }
            catch (WikiApiException e) when (e is EditConflictException || e.Code is "editconflict" or "missingtitle" or "articleexists" or "pagedeleted")
            {
                if (attempt + 1 >= _options.MaxConflictRetries)
                    return new PageOutcome(plan.Title, PageAction.Failed, sections, $"edit conflict {attempt + 1} times in a row; someone keeps saving the page, try again later");
                _log.LogInformation("Edit conflict on {Title} ({Code}), reading it again (attempt {Attempt})", plan.Title, e.Code, attempt + 2);
                var again = await _wiki.ReadPagesAsync([plan.Title], ct);
                page = again[plan.Title];
            }
        }
    }

    private sealed record SpliceDecision(PageOutcome? Outcome, string? Text = null, SpliceResult? Splice = null);

    private async Task<SpliceDecision> SpliceAsync(PagePlan plan, WikiPage page, CancellationToken ct)
    {
        string basis;
        if (page.Exists)
        {
            basis = page.Text;
        }
        else if (plan.Creator is { } creator)
        {
            // A page that is gone is made again in full, whatever was placed on it before.
            basis = _templates.Render(creator.Job.Skeleton, creator.Context);
        }
        else
        {
            var jobs = string.Join(", ", plan.Sections.Select(s => s.Job).Distinct());
            return new SpliceDecision(new PageOutcome(plan.Title, PageAction.Skipped, plan.SectionNames,
                $"page does not exist and job {jobs} may not create pages (create_pages: false)"));
        }

        var contents = plan.Sections.Select(s => new SectionContent(s.Name, s.Text, s.Placement)).ToList();
        var splice = SectionSplicer.Splice(basis, contents);
        if (page.Exists && !splice.IsBroken && splice.Added.Count > 0)
        {
            // Only a section the page lacks needs the ledger (so a page whose sections are all there costs
            // no store query): one WikiSync placed before was removed by an editor and stays out.
            IReadOnlySet<string> placed;
            try
            {
                placed = await _ledger.PlacedAsync(plan.Title, ct);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
            {
                // Without the ledger a section an editor removed could be put back: leave the page alone.
                return new SpliceDecision(new PageOutcome(plan.Title, PageAction.Failed, plan.SectionNames,
                    $"the store cannot say which sections WikiSync placed here: {e.Message}"));
            }
            if (splice.Added.Any(placed.Contains))
            {
                contents = contents.Select(c => c with { PlaceIfMissing = !placed.Contains(c.Name) }).ToList();
                splice = SectionSplicer.Splice(basis, contents);
            }
        }
        if (splice.IsBroken)
        {
            var where = page.Exists ? "" : " (in the skeleton template)";
            return new SpliceDecision(new PageOutcome(plan.Title, PageAction.Failed, plan.SectionNames,
                $"broken markers{where}, page left untouched: {string.Join("; ", splice.Problems)}"));
        }
        if (!splice.HasChanges && page.Exists)
        {
            var note = RemovedNote(splice);
            return new SpliceDecision(splice.Missing.Count > 0
                ? new PageOutcome(plan.Title, PageAction.Skipped, splice.Missing, note)
                : new PageOutcome(plan.Title, PageAction.Unchanged, plan.SectionNames, note, page.RevisionId, Text: page.Text));
        }
        return new SpliceDecision(null, splice.Text, splice);
    }

    /// <summary>The edit is saved: the ledger failing to record it must not turn the page into a failure.</summary>
    private async Task AfterEditAsync(PagePlan plan, SpliceResult splice, CancellationToken ct)
    {
        try
        {
            await _ledger.RecordAsync(plan.Title, Present(plan, splice), ct);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            _log.LogWarning("Page {Title} was saved but the store could not record its sections: {Reason}", plan.Title, e.Message);
        }
    }

    private static string? RemovedNote(SpliceResult splice) =>
        splice.Missing.Count == 0 ? null
        : $"section {string.Join(", ", splice.Missing)} removed by an editor, not put back"
          + (splice.Changed.Count + splice.Added.Count > 0 ? $"; changed {string.Join(", ", splice.Changed.Concat(splice.Added))}" : "");

    private static List<string> Present(PagePlan plan, SpliceResult splice) =>
        plan.Sections.Select(s => s.Name).Where(n => !splice.Missing.Contains(n)).ToList();

    private string Summary(bool exists, IReadOnlyList<string> sections) =>
        exists
            ? $"{_options.SummaryPrefix}: update {string.Join(", ", sections)}"
            : $"{_options.SummaryPrefix}: create page with {string.Join(", ", sections)}";

    private PageOutcome Decide(PageOutcome outcome)
    {
        var level = outcome.Action == PageAction.Failed ? LogLevel.Error : LogLevel.Information;
        _log.Log(level, "Page {Title}: {Action} {Sections} {Reason}", outcome.Title, outcome.Action.ToString().ToLowerInvariant(),
            string.Join(",", outcome.Sections), outcome.Reason ?? "");
        return outcome;
    }
}
