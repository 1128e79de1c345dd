using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WikiSync.Wiki;

namespace WikiSync.Sync;

// The checking side of a pass: pages are rendered, compared with what the store verified, and read, a
// batch at a time, while the pass saves the batch before.
public sealed partial class SyncRunner
{
    /// <summary>The first batch is small so the first edit starts soon; later ones grow to the wiki's batch size.</summary>
    internal const int FirstBatch = 20;

    internal const int LargestBatch = 500;

    /// <summary>
    /// A page verified longer ago than this is asked its revision again (<c>prop=info</c>) instead of
    /// trusting recent changes: bounds what a change without a recent-changes row (an import) or rows
    /// expired from the wiki's table could hide, and keeps the recent-changes window small.
    /// </summary>
    internal static readonly TimeSpan RecentChangesWindow = TimeSpan.FromDays(1);

    /// <summary>Recent changes are asked from this much before the oldest verification: our clock and the wiki's may differ.</summary>
    internal static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);

    /// <summary>A page known current from recent changes on a verification older than this is verified anew.</summary>
    internal static readonly TimeSpan RestampAfter = TimeSpan.FromHours(1);

    /// <summary>
    /// A batch ready to save: its pages with their sections rendered, the ones the store and the wiki say
    /// are current (not read), the texts of the others, and the pages already decided (failed, skipped).
    /// </summary>
    private sealed record CheckedBatch(
        List<PagePlan> Plans,
        List<PageOutcome> Settled,
        Dictionary<string, long> Current,
        IReadOnlyDictionary<string, WikiPage> Pages,
        Dictionary<string, SectionsFingerprint> Fingerprints,
        List<PageVerification> Restamped);

    /// <summary>A page's sections as a verification names them: their set, the hash of their texts, and what they were rendered from (null: not known).</summary>
    private sealed record SectionsFingerprint(string Set, string Hash, string? Inputs);

    private async Task CheckBatchesAsync(List<PagePlan> pending, SyncRequest request, WikiApiException? sessionFailure,
        ChannelWriter<CheckedBatch> batches, PassTimings timings, Task<RecentEdits?> recentEdits, DateTimeOffset asOf, CancellationToken ct)
    {
        try
        {
            var queue = new Queue<PagePlan>(pending);
            pending.Clear();
            var size = FirstBatch;
            var first = true;
            while (queue.Count > 0)
            {
                var plans = new List<PagePlan>(Math.Min(size, queue.Count));
                while (plans.Count < size && queue.TryDequeue(out var plan))
                    plans.Add(plan);
                var (batch, rest) = await CheckBatchAsync(plans, request, recentEdits, asOf, sessionFailure, readShutoff: first && !request.DryRun, timings, ct);
                if (rest is not null)
                {
                    // The wiki could not be read, or the emergency stop is on: no page after this one is
                    // read or saved either.
                    while (queue.TryDequeue(out var plan))
                        batch.Settled.Add(rest(plan));
                }
                await batches.WriteAsync(batch, ct);
                first = false;
                size = Math.Min(size * 4, LargestBatch);
            }
            batches.TryComplete();
        }
        catch (Exception e)
        {
            batches.TryComplete(e);
        }
    }

    private async Task<(CheckedBatch Batch, Func<PagePlan, PageOutcome>? Remaining)> CheckBatchAsync(List<PagePlan> plans, SyncRequest request,
        Task<RecentEdits?> recentEdits, DateTimeOffset asOf, WikiApiException? sessionFailure, bool readShutoff, PassTimings timings, CancellationToken ct)
    {
        var started = timings.Now();
        var settled = new List<PageOutcome>();
        var rows = await VerificationsAsync(plans, request, ct);
        timings.AddSince("check", started);

        started = timings.Now();
        var fingerprints = new Dictionary<string, SectionsFingerprint>(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            // A page verified with the same inputs holds the sections they render: it is not rendered unless it is read.
            var set = PageFingerprint.SectionSet(plan);
            var inputs = rows is null ? null : PageFingerprint.Inputs(plan, _templates);
            if (inputs is not null && rows![plan.Title].FirstOrDefault(r => r.SectionSet == set && r.InputsHash == inputs && r.Revision > 0) is { } same)
            {
                fingerprints[plan.Title] = new SectionsFingerprint(set, same.SectionsHash, inputs);
                continue;
            }
            plan.Render(_templates);
            // Kept only where verifications are (a dry run has none): what a save of the page then verifies.
            if (plan.Failures.Count == 0 && _verifications is not null && !request.DryRun)
                fingerprints[plan.Title] = new SectionsFingerprint(set, PageFingerprint.Hash(plan), inputs);
        }
        SettleFailures(plans, settled);
        timings.AddSince("render", started);

        started = timings.Now();
        var restamped = new List<PageVerification>();
        var current = await CurrentPagesAsync(plans, rows, request, recentEdits, asOf, fingerprints, restamped, sessionFailure, ct);
        timings.AddSince("check", started);

        started = timings.Now();
        // The pages to read are spliced: their sections are needed after all.
        foreach (var plan in plans.Where(p => !p.IsRendered && !current.ContainsKey(p.Title)))
            plan.Render(_templates);
        SettleFailures(plans, settled);
        timings.AddSince("render", started);

        started = timings.Now();
        var titles = plans.Where(p => !current.ContainsKey(p.Title)).Select(p => p.Title).ToList();
        var shutoff = _options.ShutoffPage;
        // The emergency stop page came with the recent changes when they were asked (one request less).
        WikiPage? stopRead = null;
        if (readShutoff && await recentEdits is { } recent && recent.Pages.TryGetValue(shutoff, out var withRecent))
            stopRead = withRecent;
        if (readShutoff && stopRead is null)
            titles.Add(shutoff);
        IReadOnlyDictionary<string, WikiPage> pages = new Dictionary<string, WikiPage>(StringComparer.Ordinal);
        CheckedBatch Batch() => new(plans, settled, current, pages, fingerprints, restamped);
        try
        {
            if (titles.Count > 0)
                pages = sessionFailure is null ? await _wiki.ReadPagesAsync(titles.Distinct(StringComparer.Ordinal).ToList(), ct) : throw sessionFailure;
        }
        catch (WikiApiException e) when (e.Kind == WikiErrorKind.InvalidTitle)
        {
            // A title the wiki refuses fails its own page only; the others were read.
            pages = e.ValidPages;
            foreach (var plan in plans.Where(p => e.InvalidTitles.ContainsKey(p.Title)).ToList())
            {
                settled.Add(new PageOutcome(plan.Title, PageAction.Failed, plan.SectionNames, $"not a valid page title: {e.InvalidTitles[plan.Title]}"));
                plans.Remove(plan);
            }
        }
        catch (WikiApiException e)
        {
            PageOutcome Unread(PagePlan p) => new(p.Title, PageAction.Failed, p.SectionNames, $"reading the page failed: {e.Message}");
            settled.AddRange(plans.Select(Unread));
            plans.Clear();
            return (Batch(), Unread);
        }
        finally
        {
            timings.AddSince("read", started);
        }
        if (readShutoff && (stopRead ?? pages.GetValueOrDefault(shutoff)) is { Exists: true } stop && !string.IsNullOrWhiteSpace(stop.Text))
        {
            _log.LogWarning("Emergency stop: {Page} is not empty, no edits are made until it is emptied", shutoff);
            static PageOutcome Stopped(PagePlan p) => new(p.Title, PageAction.Skipped, p.SectionNames, "shutoff");
            settled.AddRange(plans.Select(Stopped));
            plans.Clear();
            return (Batch(), Stopped);
        }
        return (Batch(), null);
    }

    private static void SettleFailures(List<PagePlan> plans, List<PageOutcome> settled)
    {
        foreach (var failed in plans.Where(p => p.Failures.Count > 0))
            settled.Add(Failed(failed));
        plans.RemoveAll(p => p.Failures.Count > 0);
    }

    /// <summary>
    /// What the store verified on the batch's pages (one query); null when nothing is to be trusted: a dry
    /// run, no store, or a store that cannot answer (every page is then rendered and read).
    /// </summary>
    private async Task<ILookup<string, PageVerification>?> VerificationsAsync(List<PagePlan> plans, SyncRequest request, CancellationToken ct)
    {
        if (_verifications is null || request.DryRun || plans.Count == 0)
            return null;
        try
        {
            return (await _verifications.FindAsync([.. plans.Select(p => p.Title)], ct)).ToLookup(r => r.Page, StringComparer.Ordinal);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            _log.LogWarning("The store cannot say what was verified on the pages, reading them: {Reason}", e.Message);
            return null;
        }
    }

    /// <summary>
    /// The wiki's recent changes since the oldest recent verification in the store (one store query, one
    /// request), asked while the pass plans its pages. Null for a dry run (it reads every page), or when the
    /// store or the wiki cannot say: then verified pages are asked their revision.
    /// </summary>
    private async Task<RecentEdits?> RecentEditsAsync(SyncRequest request, DateTimeOffset asOf, Task? session, CancellationToken ct)
    {
        if (_verifications is null || request.DryRun)
            return null;
        try
        {
            if (await _verifications.OldestAsync(asOf - RecentChangesWindow, ct) is not { } oldest)
                return null;
            // A refused login is not tried again in the same pass: the reads report it.
            if (await SessionFailureAsync(session) is not null)
                return null;
            return await _wiki.ReadRecentEditsAsync(oldest - ClockSkew, [_options.ShutoffPage], ct);
        }
        catch (Exception e) when (IsStoreFailure(e) || e is WikiApiException)
        {
            _log.LogWarning("Could not learn what changed on the wiki lately, asking the verified pages their revision instead: {Reason}", e.Message);
            return null;
        }
    }

    /// <summary>
    /// The plans whose rendered sections hash as verified on a page whose latest revision is still the one
    /// verified, so their texts are not read: known from the recent changes (no edit on top of that
    /// revision since, the page not moved or deleted) when the verification is recent, else asked with one
    /// <c>prop=info</c> per batch of titles. Anything unsure (no verification, a different render, another
    /// revision, a missing page, a wiki or store that does not answer) is left out, and the page is read.
    /// A page found current on a verification older than <see cref="RestampAfter"/> is verified anew.
    /// </summary>
    private async Task<Dictionary<string, long>> CurrentPagesAsync(List<PagePlan> plans, ILookup<string, PageVerification>? rows, SyncRequest request,
        Task<RecentEdits?> recentEdits, DateTimeOffset asOf, Dictionary<string, SectionsFingerprint> fingerprints, List<PageVerification> restamped,
        WikiApiException? sessionFailure, CancellationToken ct)
    {
        var current = new Dictionary<string, long>(StringComparer.Ordinal);
        if (rows is null || plans.Count == 0)
            return current;
        var recent = await recentEdits;
        var ask = new Dictionary<string, PageVerification>(StringComparer.Ordinal);
        var takeBack = TakeBackKeys(request);
        foreach (var plan in plans)
        {
            // A page taken back is read, whatever was verified: its held sections are regenerated.
            if (takeBack.Count > 0 && takeBack.Contains(WikiTitle.SamePageKey(plan.Title)))
                continue;
            var mine = fingerprints[plan.Title];
            if (rows[plan.Title].FirstOrDefault(r => r.SectionSet == mine.Set && r.SectionsHash == mine.Hash && r.Revision > 0) is not { } row)
                continue;
            if (recent is null || !(row.AsOf >= asOf - RecentChangesWindow))
            {
                ask[plan.Title] = row;
            }
            else if (!recent.Supersedes(row.Revision) && !recent.Touched(row.PageId))
            {
                current[plan.Title] = row.Revision;
                // Keeps the window of recent changes a pass asks for short. Safe: an edit our answer did
                // not show yet was saved about now, well inside the clock-skew margin of the next window.
                // New inputs that render the same sections (new data, or the first pass after an upgrade)
                // are kept too, so the next pass does not render the page again.
                if (row.AsOf < asOf - RestampAfter || row.InputsHash != (mine.Inputs ?? ""))
                    restamped.Add(row with { AsOf = asOf, InputsHash = mine.Inputs ?? "" });
            }
            // else someone saved on top of the verified revision, or moved, deleted... the page: it is read.
        }
        if (ask.Count > 0)
        {
            try
            {
                var latest = sessionFailure is null ? await _wiki.ReadLastRevisionsAsync(ask.Keys, ct) : throw sessionFailure;
                foreach (var (title, row) in ask)
                {
                    if (latest.TryGetValue(title, out var now) && now == row.Revision)
                    {
                        current[title] = row.Revision;
                        restamped.Add(row with { AsOf = asOf, InputsHash = fingerprints[title].Inputs ?? "" });
                    }
                }
            }
            catch (WikiApiException e)
            {
                _log.LogWarning("Asking the wiki for the pages' latest revisions failed, reading them in full: {Reason}", e.Message);
            }
        }
        _log.LogDebug("{Current} of {Pages} pages verified current ({Asked} asked their revision), {Read} to read", current.Count, plans.Count, ask.Count, plans.Count - current.Count);
        return current;
    }
}
