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
    /// A batch ready to save: its pages with their sections rendered, the ones the store and the wiki say
    /// are current (not read), the texts of the others, and the pages already decided (failed, skipped).
    /// </summary>
    private sealed record CheckedBatch(
        List<PagePlan> Plans,
        List<PageOutcome> Settled,
        Dictionary<string, long> Current,
        IReadOnlyDictionary<string, WikiPage> Pages,
        Dictionary<string, (string Set, string Hash)> Fingerprints);

    private async Task CheckBatchesAsync(List<PagePlan> pending, SyncRequest request, WikiLoginException? sessionFailure,
        ChannelWriter<CheckedBatch> batches, PassTimings timings, CancellationToken ct)
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
                var (batch, rest) = await CheckBatchAsync(plans, request, sessionFailure, readShutoff: first && !request.DryRun, timings, ct);
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
        WikiLoginException? sessionFailure, bool readShutoff, PassTimings timings, CancellationToken ct)
    {
        var started = timings.Now();
        var settled = new List<PageOutcome>();
        foreach (var plan in plans)
            plan.Render(_templates);
        foreach (var failed in plans.Where(p => p.Failures.Count > 0))
            settled.Add(Failed(failed));
        plans.RemoveAll(p => p.Failures.Count > 0);
        timings.AddSince("render", started);

        started = timings.Now();
        var fingerprints = new Dictionary<string, (string Set, string Hash)>(StringComparer.Ordinal);
        var current = await CurrentPagesAsync(plans, request, fingerprints, sessionFailure, ct);
        timings.AddSince("check", started);

        started = timings.Now();
        var titles = plans.Where(p => !current.ContainsKey(p.Title)).Select(p => p.Title).ToList();
        var shutoff = _options.ShutoffPage;
        if (readShutoff)
            titles.Add(shutoff);
        IReadOnlyDictionary<string, WikiPage> pages = new Dictionary<string, WikiPage>(StringComparer.Ordinal);
        CheckedBatch Batch() => new(plans, settled, current, pages, fingerprints);
        try
        {
            if (titles.Count > 0)
                pages = sessionFailure is null ? await _wiki.ReadPagesAsync(titles.Distinct(StringComparer.Ordinal).ToList(), ct) : throw sessionFailure;
        }
        catch (InvalidTitleException e)
        {
            // A title the wiki refuses fails its own page only; the others were read.
            pages = e.ValidPages;
            foreach (var plan in plans.Where(p => e.Reasons.ContainsKey(p.Title)).ToList())
            {
                settled.Add(new PageOutcome(plan.Title, PageAction.Failed, plan.SectionNames, $"not a valid page title: {e.Reasons[plan.Title]}"));
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
        if (readShutoff && pages.TryGetValue(shutoff, out var stop) && stop.Exists && !string.IsNullOrWhiteSpace(stop.Text))
        {
            _log.LogWarning("Emergency stop: {Page} is not empty, no edits are made until it is emptied", shutoff);
            static PageOutcome Stopped(PagePlan p) => new(p.Title, PageAction.Skipped, p.SectionNames, "shutoff");
            settled.AddRange(plans.Select(Stopped));
            plans.Clear();
            return (Batch(), Stopped);
        }
        return (Batch(), null);
    }

    /// <summary>
    /// The plans whose rendered sections hash as verified on a page whose latest revision is still the one
    /// verified: one <c>prop=info</c> per batch of titles instead of their texts. Anything unsure (no
    /// verification, a different render, another revision, a missing page, a store or wiki that does not
    /// answer) is left out, and the page is read in full.
    /// </summary>
    private async Task<Dictionary<string, long>> CurrentPagesAsync(List<PagePlan> pending, SyncRequest request,
        Dictionary<string, (string Set, string Hash)> fingerprints, WikiLoginException? sessionFailure, CancellationToken ct)
    {
        var current = new Dictionary<string, long>(StringComparer.Ordinal);
        if (_verifications is null || request.DryRun || pending.Count == 0)
            return current;
        foreach (var plan in pending)
            fingerprints[plan.Title] = (PageFingerprint.SectionSet(plan), PageFingerprint.Hash(plan));
        if (request.ReadEveryPage)
            return current;
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var row in await _verifications.FindAsync(fingerprints.Keys, ct))
            {
                if (fingerprints.TryGetValue(row.Page, out var mine) && mine.Set == row.SectionSet && mine.Hash == row.SectionsHash && row.Revision > 0)
                    expected[row.Page] = row.Revision;
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            _log.LogWarning("The store cannot say what was verified on the pages, reading them all: {Reason}", e.Message);
            return current;
        }
        if (expected.Count == 0)
            return current;
        IReadOnlyDictionary<string, long> latest;
        try
        {
            latest = sessionFailure is null ? await _wiki.ReadLastRevisionsAsync(expected.Keys, ct) : throw sessionFailure;
        }
        catch (WikiApiException e)
        {
            _log.LogWarning("Asking the wiki for the pages' latest revisions failed, reading them in full: {Reason}", e.Message);
            return current;
        }
        foreach (var (title, revision) in expected)
        {
            if (latest.TryGetValue(title, out var now) && now == revision)
                current[title] = revision;
        }
        _log.LogDebug("{Current} of {Pages} pages verified current, {Read} to read", current.Count, pending.Count, pending.Count - current.Count);
        return current;
    }
}
