using System.Threading.Channels;
using DiffPlex.Renderer;
using Microsoft.Extensions.Logging;
using WikiSync.Jobs;
using WikiSync.Sections;
using WikiSync.Sources;
using WikiSync.Wiki;

namespace WikiSync.Sync;

/// <summary>
/// The one flow: collect each source once, render every job's section for every page, group the
/// sections of a page into one edit, read all pages in one batch, splice, and save only what changed.
/// One page's failure never stops the others.
/// </summary>
public sealed partial class SyncRunner : ISyncRunner
{
    private readonly IWikiSite _wiki;
    private readonly SyncPlanner _planner;
    private readonly ISectionTemplates _templates;
    private readonly IPlacementLedger _ledger;
    private readonly SectionLayout _layout;
    private readonly SyncOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SyncRunner> _log;
    private readonly IPageVerifications? _verifications;
    private readonly IWrittenSections? _written;
    private readonly JobCatalog _jobs;

    public SyncRunner(
        IWikiSite wiki,
        JobCatalog jobs,
        ISectionTemplates templates,
        IInventorySource inventory,
        IPlacementLedger ledger,
        SyncOptions options,
        TimeProvider time,
        ILogger<SyncRunner> log,
        ILogEntryReader? entries = null,
        IPageVerifications? verifications = null,
        IWrittenSections? written = null)
    {
        _wiki = wiki;
        _verifications = verifications;
        _written = written;
        _jobs = jobs;
        _planner = new SyncPlanner(jobs, templates, inventory, entries, time, log);
        _templates = templates;
        _ledger = ledger;
        _layout = new SectionLayout(jobs.Jobs.Select(j => (j.Section, j.Placement)));
        _options = options;
        _time = time;
        _log = log;
    }

    public async Task<SyncReport> RunAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The pass's deadline: whatever hangs (a source that never answers, an endless listing, a wiki that
        // stalls) fails this pass with a reason, and the gate it holds is let go.
        using var overdue = new CancellationTokenSource(_options.PassTimeout, _time);
        using var pass = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, overdue.Token);
        var stage = $"collecting from {_planner.SourceName}";
        var outcomes = new List<PageOutcome>();
        var problems = new List<JobProblem>();
        var timings = new PassTimings(_time);
        try
        {
            await RunPassAsync(request, outcomes, problems, timings, next => stage = next, pass.Token);
        }
        catch (OperationCanceledException) when (overdue.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var reason = $"the pass did not finish within {Yaml.Durations.Format(_options.PassTimeout)} (pass_timeout) and was stopped while {stage}; "
                + $"{outcomes.Count} pages were done, the others are left as they are until the next pass";
            _log.LogError("Pass stopped: {Reason}", reason);
            problems.Add(new JobProblem(PassProblem, reason));
        }
        _log.LogInformation("Pass over {Pages} pages done in {Milliseconds:0} ms: {Saved} saved, {Unchanged} unchanged; time spent (checking overlaps saving): {Phases}",
            outcomes.Count, timings.Total.TotalMilliseconds, outcomes.Count(o => o.Action is PageAction.Created or PageAction.Updated),
            outcomes.Count(o => o.Action == PageAction.Unchanged), timings);
        return new SyncReport(outcomes, problems);
    }

    /// <summary>The name a problem of the whole pass (not of one job) is reported under.</summary>
    public const string PassProblem = "(pass)";

    private async Task RunPassAsync(SyncRequest request, List<PageOutcome> outcomes, List<JobProblem> problems, PassTimings timings,
        Action<string> stage, CancellationToken cancellationToken)
    {
        // The login's round trips run while the pages are rendered (issue 6: ~0.1 s of a cold refresh).
        Task? session = null;
        Task<RecentEdits?> recentEdits = Task.FromResult<RecentEdits?>(null);
        var asOf = _time.GetUtcNow();
        var (plans, planProblems) = await _planner.PlanAsync(request, cancellationToken, () =>
        {
            timings.Lap("collect");
            stage("planning the pages");
            session = StartSession(cancellationToken);
            // Asked while the pages are planned: the first batch's check then waits for nothing.
            recentEdits = RecentEditsAsync(request, asOf, session, cancellationToken);
        });
        problems.AddRange(planProblems);
        problems.AddRange(UnknownTakeBacks(request, plans));
        timings.Lap("plan");
        stage($"checking and saving {plans.Count} pages");
        await ApplyAsync(plans, request, session, recentEdits, timings, asOf, outcomes, cancellationToken);
    }

    private Task StartSession(CancellationToken ct)
    {
        var session = _wiki.PrepareSessionAsync(ct);
        // Observed here so that a pass that ends before reading leaves no unobserved exception behind.
        _ = session.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return session;
    }

    /// <summary>
    /// Waits for the session started before rendering. A refused login is handed back to be reported where
    /// the first read would have reported it (not tried again in the same pass); any other wiki failure
    /// is left to the reads, which log in again as they always did; anything else is thrown, as the first
    /// read would have thrown it.
    /// </summary>
    private static async Task<WikiApiException?> SessionFailureAsync(Task? session)
    {
        if (session is null)
            return null;
        try
        {
            await session;
            return null;
        }
        catch (WikiApiException e)
        {
            // A lost session (cookies dropped on the way) is no verdict on the credentials.
            return e.Kind == WikiErrorKind.Login ? e : null;
        }
    }

    private async Task ApplyAsync(List<PagePlan> plans, SyncRequest request, Task? session, Task<RecentEdits?> recentEdits,
        PassTimings timings, DateTimeOffset asOf, List<PageOutcome> outcomes, CancellationToken ct)
    {
        var (progress, keepTexts) = (request.Progress, request.KeepTexts);
        var done = 0;
        var total = plans.Count;
        void Report(PageOutcome outcome)
        {
            Decide(outcome);
            progress?.Report(new SyncProgress(++done, total, outcome));
            outcomes.Add(keepTexts || (outcome.Text is null && outcome.Diff is null) ? outcome : outcome with { Text = null, Diff = null });
        }

        foreach (var failed in plans.Where(p => p.Failures.Count > 0))
            Report(Failed(failed));
        var pending = plans.Where(p => p.Failures.Count == 0).ToList();
        // From here each plan (its rendered sections) is let go once its page is decided.
        plans.Clear();
        if (pending.Count == 0)
            return;

        var sessionFailure = await SessionFailureAsync(session);
        var verified = new List<PageVerification>();
        var written = new List<WrittenSection>();
        // Pages are rendered, checked and read a batch at a time by one task while the batch before is
        // saved by this one: the first edit waits for one small batch, not for every page of the pass.
        var checkedBatches = Channel.CreateBounded<CheckedBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stopChecking = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var checking = CheckBatchesAsync(pending, request, sessionFailure, checkedBatches.Writer, timings, recentEdits, asOf, stopChecking.Token);
        try
        {
            await foreach (var batch in checkedBatches.Reader.ReadAllAsync(ct))
            {
                var saving = timings.Now();
                verified.AddRange(batch.Restamped);
                await SaveBatchAsync(batch, verified, written, Report, request, timings, asOf, ct);
                timings.AddSince("save", saving);
            }
        }
        finally
        {
            // A pass that stops early (cancelled, or failed) must not leave the checking task waiting to hand over a batch.
            await stopChecking.CancelAsync();
            await checking;
            await RecordVerifiedAsync(verified);
            await RecordWrittenAsync(written);
        }
    }

    /// <summary>What a store (SQLite, PostgreSQL) throws when it cannot answer; the pass goes on without it.</summary>
    private static bool IsStoreFailure(Exception e) => e is System.Data.Common.DbException or InvalidOperationException or IOException;

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The page was done just as its grace ran out.
        }
    }

    private static PageOutcome Failed(PagePlan plan) =>
        new(plan.Title, PageAction.Failed, plan.SectionNames, string.Join("; ", plan.Failures));

    private async Task SaveBatchAsync(CheckedBatch batch, List<PageVerification> verified, List<WrittenSection> written, Action<PageOutcome> Report,
        SyncRequest request, PassTimings timings, DateTimeOffset asOf, CancellationToken ct)
    {
        foreach (var outcome in batch.Settled)
            Report(outcome);
        var watch = await WatchSectionsAsync(batch, request, ct);
        foreach (var plan in batch.Plans)
        {
            ct.ThrowIfCancellationRequested();
            // Stopping (SIGTERM) lets the page in hand finish, within SyncOptions.StopGrace counted from the
            // stop (the only grace: nothing below adds its own), instead of cutting an edit in half; the next
            // page is not started.
            if (batch.Current.TryGetValue(plan.Title, out var revision))
            {
                NoteWritten(plan, null, revision, watch, written);
                var held = watch.EditsOf(plan.Title).Values.ToList();
                Report(new PageOutcome(plan.Title, held.Count > 0 ? PageAction.Held : PageAction.Unchanged, plan.SectionNames, HumanEditReason(held, [], null), revision)
                {
                    // A held section does not show the entries its render carries.
                    SalEntryIds = plan.CarriedEntries([.. held.Select(h => h.Section)]),
                    HumanEdits = held,
                });
                continue;
            }
            using var pageCancellation = new CancellationTokenSource();
            using var grace = _time.CreateTimer(static state => CancelQuietly((CancellationTokenSource)state!), pageCancellation, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            using var stopping = ct.Register(() => grace.Change(_options.StopGrace, Timeout.InfiniteTimeSpan));
            PageOutcome outcome;
            try
            {
                if (batch.Pages.TryGetValue(plan.Title, out var page))
                {
                    (outcome, var verifiedRevision, var pageId) = await SyncPageAsync(plan, page, request, watch, timings, pageCancellation.Token);
                    if (verifiedRevision > 0 && batch.Fingerprints.TryGetValue(plan.Title, out var fingerprint))
                        verified.Add(new PageVerification(plan.Title, fingerprint.Set, verifiedRevision, fingerprint.Hash) { AsOf = asOf, PageId = pageId, InputsHash = fingerprint.Inputs ?? "" });
                    if (!request.DryRun && outcome.Action is not (PageAction.Failed or PageAction.Skipped) && outcome.RevisionId is { } saved)
                        NoteWritten(plan, outcome.Text, saved, watch, written);
                }
                else
                {
                    outcome = new PageOutcome(plan.Title, PageAction.Failed, plan.SectionNames, "the wiki did not return the page");
                }
            }
            catch (WikiApiException e)
            {
                outcome = new PageOutcome(plan.Title, PageAction.Failed, plan.SectionNames, e.Message)
                {
                    Refusal = e.IsContentRefusal ? new ContentRefusal(e.Code, e.Message) { SalEntryIds = plan.CarriedEntries() } : null,
                };
            }
            catch (TemplateRenderException e)
            {
                outcome = new PageOutcome(plan.Title, PageAction.Failed, plan.SectionNames, $"skeleton: {e.Message}");
            }
            Report(outcome);
        }
    }

    /// <summary>Keeps what this pass verified; a store that fails only costs a full read next time.</summary>
    private Task RecordVerifiedAsync(List<PageVerification> verified) =>
        _verifications is null || verified.Count == 0
            ? Task.CompletedTask
            : KeepAsync(ct => _verifications.RecordAsync(verified, ct), e =>
                _log.LogWarning("The store could not keep what was verified on {Count} pages; they are read in full next time: {Reason}", verified.Count, e.Message));

    /// <summary>
    /// Records what a pass learned, also after a cancelled pass (its edits were saved), bounded so a hung store
    /// cannot hold shutdown; a store that fails costs only what <paramref name="failed"/> logs.
    /// </summary>
    private async Task KeepAsync(Func<CancellationToken, Task> record, Action<Exception> failed)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10), _time);
        try
        {
            await record(limit.Token);
        }
        catch (Exception e) when (IsStoreFailure(e) || e is OperationCanceledException)
        {
            failed(e);
        }
    }

    /// <summary>
    /// One page read: splice, save, retry on conflict. Also the revision now known to hold exactly the
    /// plan's sections (0 when none is): the one read and found current, or our save when the wiki says
    /// it follows the revision we based it on (not merged with someone else's edit); and the page's id.
    /// </summary>
    private async Task<(PageOutcome Outcome, long VerifiedRevision, long PageId)> SyncPageAsync(PagePlan plan, WikiPage page, SyncRequest request, SectionWatch watch,
        PassTimings timings, CancellationToken ct)
    {
        var dryRun = request.DryRun;
        for (var attempt = 0; ; attempt++)
        {
            var decision = await SpliceAsync(plan, page, watch, ct);
            var held = watch.EditsOf(plan.Title).Values.Where(e => e.Action == HumanEditAction.Held).ToList();
            if (decision.Outcome is { } settled)
            {
                if (held.Count > 0 && settled.Action == PageAction.Unchanged)
                {
                    // Nothing else to save: the page is verified as it is, so the next pass does not read it again for the held section.
                    var kept = settled with { Action = PageAction.Held, Reason = HumanEditReason(held, [], settled.Reason), HumanEdits = held };
                    return (dryRun ? kept : kept with { SalEntryIds = plan.CarriedEntries([.. decision.Splice?.Missing ?? [], .. held.Select(h => h.Section)]) },
                        dryRun || settled.Reason is not null ? 0 : page.RevisionId, page.PageId);
                }
                return (dryRun || settled.Action != PageAction.Unchanged ? settled : settled with { SalEntryIds = plan.CarriedEntries(decision.Splice?.Missing) },
                    !dryRun && settled.Action == PageAction.Unchanged && settled.Reason is null && page.Exists ? page.RevisionId : 0, page.PageId);
            }
            var (text, splice) = (decision.Text!, decision.Splice!);
            var sections = splice.Changed.Concat(splice.Added).ToList();
            var edits = watch.EditsOf(plan.Title).Values.Where(e => e.Action == HumanEditAction.Held || splice.Changed.Contains(e.Section)).ToList();
            var replaced = edits.Where(e => e.Action == HumanEditAction.Replaced).ToList();
            var action = held.Count > 0 ? PageAction.Held : page.Exists ? PageAction.Updated : PageAction.Created;
            var note = HumanEditReason(edits, sections, RemovedNote(splice));
            if (dryRun)
            {
                var diff = UnidiffRenderer.GenerateUnidiff(page.Text, text, $"a/{plan.Title}", $"b/{plan.Title}", ignoreWhitespace: false, ignoreCase: false, contextLines: 3);
                return (new PageOutcome(plan.Title, action, sections, note, Diff: diff, Text: text) { HumanEdits = edits }, 0, 0);
            }
            var summary = request.Summary ?? Summary(page.Exists, sections);
            if (replaced.Count > 0)
                summary = EditSummary.Truncate(summary, "; " + string.Join("; ", replaced.Select(e => e.Describe())));
            try
            {
                // ct is the page's own token (SaveBatchAsync): after shutdown it still lets this edit and its
                // bookkeeping finish within SyncOptions.StopGrace, the one bound, so a hung wiki cannot hold the process.
                var editing = timings.Now();
                var result = await _wiki.EditAsync(new EditRequest(plan.Title, text, summary, page), ct);
                timings.AddSince("waiting for edits", editing);
                await AfterEditAsync(plan, splice, ct);
                var clean = result.Changed && splice.Missing.Count == 0 && result.ParentRevisionId is { } parent
                    && parent == (page.Exists ? page.RevisionId : 0);
                var carried = plan.CarriedEntries([.. splice.Missing, .. held.Select(h => h.Section)]);
                return result.Changed
                    ? (new PageOutcome(plan.Title, action, sections, note, result.RevisionId, Text: text) { SalEntryIds = carried, HumanEdits = edits }, clean ? result.RevisionId : 0, result.PageId)
                    : (new PageOutcome(plan.Title, PageAction.Unchanged, plan.SectionNames, RemovedNote(splice), result.RevisionId, Text: text) { SalEntryIds = carried }, 0, 0);
            }
            catch (WikiApiException e) when (e.Kind == WikiErrorKind.EditConflict)
            {
                if (attempt + 1 >= _options.MaxConflictRetries)
                    return (new PageOutcome(plan.Title, PageAction.Failed, sections, $"edit conflict {attempt + 1} times in a row; someone keeps saving the page, try again later"), 0, 0);
                _log.LogInformation("Edit conflict on {Title} ({Code}), reading it again (attempt {Attempt})", plan.Title, e.Code, attempt + 2);
                var again = await _wiki.ReadPagesAsync([plan.Title], ct);
                page = again[plan.Title];
                // Someone saved in between, maybe inside a section: whose edit it is is asked again.
                await DetectAsync([(plan, page)], watch, request, ct);
            }
        }
    }

    private sealed record SpliceDecision(PageOutcome? Outcome, string? Text = null, SpliceResult? Splice = null);

    private async Task<SpliceDecision> SpliceAsync(PagePlan plan, WikiPage page, SectionWatch watch, CancellationToken ct)
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

        // A held section is not handed to the splicer: it stays byte for byte as the person wrote it.
        var contents = plan.Sections.Where(s => !watch.IsHeld(plan.Title, s.Name)).Select(s => new SectionContent(s.Name, s.Text, s.Placement)).ToList();
        var splice = SectionSplicer.Splice(basis, contents, _layout);
        if (page.Exists && !splice.IsBroken && splice.Added.Count > 0)
        {
            // Only a section the page lacks needs the ledger (so a page whose sections are all there costs
            // no store query): one WikiSync placed before was removed by an editor and stays out.
            IReadOnlySet<string> placed;
            try
            {
                placed = await _ledger.PlacedAsync(plan.Title, ct);
            }
            catch (Exception e) when (IsStoreFailure(e))
            {
                // Without the ledger a section an editor removed could be put back: leave the page alone.
                return new SpliceDecision(new PageOutcome(plan.Title, PageAction.Failed, plan.SectionNames,
                    $"the store cannot say which sections WikiSync placed here: {e.Message}"));
            }
            if (splice.Added.Any(placed.Contains))
            {
                contents = contents.Select(c => c with { PlaceIfMissing = !placed.Contains(c.Name) }).ToList();
                splice = SectionSplicer.Splice(basis, contents, _layout);
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
                : new PageOutcome(plan.Title, PageAction.Unchanged, plan.SectionNames, note, page.RevisionId, Text: page.Text), Splice: splice);
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
        catch (Exception e) when (IsStoreFailure(e))
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

    private void Decide(PageOutcome outcome)
    {
        // An unchanged page is most of every pass and nothing happened to it: the operator's log keeps what
        // was done (its count is in the pass's summary line); --verbose shows every page.
        var level = outcome.Action switch
        {
            PageAction.Failed => LogLevel.Error,
            PageAction.Unchanged when outcome.Reason is null => LogLevel.Debug,
            _ => LogLevel.Information,
        };
        _log.Log(level, "Page {Title}: {Action} {Sections} {Reason}", outcome.Title, outcome.Action.ToString().ToLowerInvariant(),
            string.Join(",", outcome.Sections), outcome.Reason ?? "");
    }
}
