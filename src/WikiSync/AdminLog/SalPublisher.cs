using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WikiSync.Model;
using WikiSync.Sync;
using WikiSync.Wiki;

namespace WikiSync.AdminLog;

/// <summary>Tuning of <see cref="SalPublisher"/>; the defaults suit a production wiki.</summary>
public sealed record SalPublisherOptions
{
    /// <summary>How long to gather entries after the first one wakes the publisher (a burst becomes one edit).</summary>
    public TimeSpan Gather { get; init; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetry { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>One project's entries recorded as published: for the log, metrics and the latency benchmark.</summary>
public sealed record SalPublished(string Project, long Revision, DateTimeOffset PublishedUtc, IReadOnlyList<LogEntry> Entries);

/// <summary>Entries of one project the wiki refused for their text, now recorded as refused.</summary>
public sealed record SalRefused(string Project, IReadOnlyList<LogEntry> Entries);

/// <summary>
/// Publishes stored SAL entries. A new entry wakes it at once; whatever arrived together goes out as one
/// sync per project of the SAL jobs (<see cref="SalPages"/>: the job files say which), which re-renders
/// the pages from the stored entries (so a retry renders the same text and nothing doubles). The entries
/// the plan put in a section of a page that was saved or found current are then recorded as published
/// with that revision: the plan says what landed, no page text is searched. The log page goes first; the
/// project page's recent log and the archives follow once no new entry waits, so an entry never waits
/// behind another project's recent-log edit (issue 6: SAL latency). A failure leaves the entries waiting
/// for a retry with bounded backoff and for the sweep.
/// </summary>
public sealed class SalPublisher : ISalSignal
{
    private readonly ISyncRunner _runner;
    private readonly LogEntryStore _store;
    private readonly SalPages _pages;
    private readonly TimeProvider _time;
    private readonly ILogger<SalPublisher> _log;
    private readonly SalPublisherOptions _options;
    private readonly Channel<string> _wake = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _publishing = new(1, 1);

    // Projects whose full log was published and whose recent log and archives are still to follow, with
    // the entries the follow-up is about (for its edit summary). Only the RunAsync loop touches it.
    private readonly Dictionary<string, List<LogEntry>> _followUp = new(StringComparer.Ordinal);

    public SalPublisher(ISyncRunner runner, LogEntryStore store, SalPages pages, TimeProvider time, ILogger<SalPublisher> log, SalPublisherOptions? options = null)
    {
        _runner = runner;
        _store = store;
        _pages = pages;
        _time = time;
        _log = log;
        _options = options ?? new SalPublisherOptions();
    }

    /// <summary>Raised after entries are recorded as published (the benchmark measures from here).</summary>
    public event EventHandler<SalPublished>? Published;

    /// <summary>Raised after entries are recorded as refused by the wiki (the IRC bot tells their authors).</summary>
    public event EventHandler<SalRefused>? Refused;

    public void EntryStored(LogEntry entry) => _wake.Writer.TryWrite(entry.Project);

    /// <summary>Asks for a pass over every project with unpublished entries (the scheduler's minute sweep, and at start).</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var project in await _store.ProjectsWithUnpublishedAsync(cancellationToken))
        {
            _wake.Writer.TryWrite(project);
        }
    }

    /// <summary>The background loop; returns when <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        var backoff = TimeSpan.Zero;
        try
        {
            await SweepAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogWarning(e, "SAL sweep at start failed; entries wait for the next sweep");
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            if (waiting.Count == 0)
            {
                if (!await _wake.Reader.WaitToReadAsync(cancellationToken))
                {
                    return;
                }
            }
            else
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var woken = _wake.Reader.WaitToReadAsync(timer.Token).AsTask();
                var elapsed = Task.Delay(backoff, _time, timer.Token);
                await Task.WhenAny(woken, elapsed);
                await timer.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (_options.Gather > TimeSpan.Zero)
            {
                await Task.Delay(_options.Gather, _time, cancellationToken);
            }

            var batch = new HashSet<string>(waiting, StringComparer.Ordinal);
            while (_wake.Reader.TryRead(out var project))
            {
                batch.Add(project);
            }

            waiting.Clear();
            var (urgent, rest) = SplitJobs();
            foreach (var project in batch.Order(StringComparer.Ordinal))
            {
                try
                {
                    if (urgent.Count == 0)
                    {
                        if (!await PublishProjectAsync(project, cancellationToken))
                            waiting.Add(project);
                        continue;
                    }

                    // The full log first; whether anything is left is decided once the other pages followed.
                    var published = new List<LogEntry>();
                    await PublishProjectAsync(project, urgent, published, cancellationToken);
                    if (!_followUp.TryGetValue(project, out var due))
                        _followUp[project] = due = [];
                    due.AddRange(published);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The store itself failed: the entries are safe in it (or were never acknowledged); try later.
                    _log.LogWarning(e, "Publishing the SAL of {Project} failed; trying again later", project);
                    waiting.Add(project);
                }
            }

            // The recent log and archives, project by project, until a new entry wakes the publisher: its
            // full log goes first, and these wait in _followUp for the next round.
            foreach (var project in _followUp.Keys.Order(StringComparer.Ordinal).ToList())
            {
                if (_wake.Reader.TryPeek(out _))
                    break;
                try
                {
                    var entries = _followUp[project];
                    if (!await PublishProjectAsync(project, rest, entries, cancellationToken, force: true))
                        waiting.Add(project);
                    _followUp.Remove(project);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    _log.LogWarning(e, "Publishing the SAL of {Project} failed; trying again later", project);
                    waiting.Add(project);
                }
            }

            backoff = waiting.Count == 0 ? TimeSpan.Zero
                : backoff == TimeSpan.Zero ? _options.FirstRetry
                : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxRetry.Ticks));
            if (waiting.Count > 0)
            {
                _log.LogInformation("SAL entries of {Projects} wait; next try in {Seconds} s", string.Join(", ", waiting), backoff.TotalSeconds);
            }
        }
    }

    /// <summary>
    /// One sync of the project's SAL pages, then records the entries that landed. True when nothing of the
    /// project is left unpublished. Safe to call from several places at once (calls are serialised).
    /// </summary>
    public async Task<bool> PublishProjectAsync(string project, CancellationToken cancellationToken)
    {
        var (urgent, rest) = SplitJobs();
        if (urgent.Count == 0)
            return await PublishProjectAsync(project, _pages.Jobs, null, cancellationToken);
        var published = new List<LogEntry>();
        var logged = await PublishProjectAsync(project, urgent, published, cancellationToken);
        return await PublishProjectAsync(project, rest, published, cancellationToken, force: true) && logged;
    }

    /// <summary>
    /// Renders all the project's SAL pages again whatever waits (an entry was hidden or shown again), with
    /// <paramref name="summary"/>; true when no page failed. Serialised with the publishing passes.
    /// </summary>
    public async Task<bool> RenderAgainAsync(string project, string summary, CancellationToken cancellationToken)
    {
        if (_pages.Jobs.Count == 0)
            return false;
        await _publishing.WaitAsync(cancellationToken);
        try
        {
            var report = await _runner.RunAsync(new SyncRequest(_pages.Jobs, [project], DryRun: false, summary) { Urgent = true }, cancellationToken);
            return report.AllFine;
        }
        finally
        {
            _publishing.Release();
        }
    }

    private (IReadOnlyList<string> Urgent, IReadOnlyList<string> Later) SplitJobs()
    {
        var urgent = _pages.Jobs.Where(_pages.UrgentJobs.Contains).ToList();
        var rest = _pages.Jobs.Where(j => !urgent.Contains(j)).ToList();
        return urgent.Count == 0 || rest.Count == 0 ? ([], _pages.Jobs) : (urgent, rest);
    }

    /// <summary>
    /// One sync of some of the project's SAL jobs. <paramref name="published"/> collects the entries that
    /// landed (and, with <paramref name="force"/>, names the entries a follow-up pass is about, so it runs
    /// even when nothing is left unpublished).
    /// </summary>
    private async Task<bool> PublishProjectAsync(string project, IReadOnlyList<string> jobs, List<LogEntry>? published, CancellationToken cancellationToken, bool force = false)
    {
        await _publishing.WaitAsync(cancellationToken);
        try
        {
            var pending = await _store.ListUnpublishedAsync(project, cancellationToken);
            var about = force && published is { Count: > 0 } ? [.. published.Concat(pending).DistinctBy(e => e.Id)] : pending;
            if (about.Count == 0)
            {
                return true;
            }

            if (jobs.Count == 0)
            {
                _log.LogWarning("No job file defines a per-project Server Admin Log page (source: sal); {Count} entries of {Project} wait", pending.Count, project);
                return false;
            }

            var pass = await PassAsync(project, jobs, about, Summary(about), pending, null, published, force, cancellationToken);
            if (pass.Report is null)
                return false;
            var left = pending.Count - pass.Landed.Count;
            if (left > 0 && pass.Refusal is { } refusal && Records(jobs))
            {
                // The suspects are what the refused text carried and still waits: it may hold entries stored
                // after this pass read `pending`, and none of those it did not carry.
                var carried = refusal.SalEntryIds.ToHashSet();
                var suspects = (await _store.ListUnpublishedAsync(project, cancellationToken)).Where(e => carried.Contains(e.Id)).ToList();
                if (suspects.Count > 0 && await FindRefusedAsync(project, jobs, suspects, refusal, published, cancellationToken))
                    return (await _store.ListUnpublishedAsync(project, cancellationToken)).Count == 0;
            }

            if (left > 0)
            {
                var reasons = string.Join("; ", pass.Report.Pages.Where(p => p.Action == PageAction.Failed).Select(p => p.ToString())
                    .Concat(pass.Report.BrokenJobs.Select(j => $"{j.Job}: {j.Reason}")));
                _log.LogWarning("{Left} SAL entries of {Project} not on the wiki yet ({Reasons}); they wait for a retry", left, project, reasons.Length == 0 ? "no log page saved" : reasons);
            }

            return left == 0 || (await _store.ListUnpublishedAsync(project, cancellationToken)).Count == 0;
        }
        finally
        {
            _publishing.Release();
        }
    }

    /// <summary>What one sync did: its report (null when it threw), the waiting entries now recorded as published, the wiki's refusal of a page's text.</summary>
    private sealed record Pass(SyncReport? Report, IReadOnlySet<long> Landed, ContentRefusal? Refusal);

    /// <summary>
    /// One sync of <paramref name="jobs"/> for the project, leaving <paramref name="withheld"/> off its pages,
    /// then records the entries of <paramref name="pending"/> that landed (the plan says which).
    /// </summary>
    private async Task<Pass> PassAsync(string project, IReadOnlyList<string> jobs, IReadOnlyList<LogEntry> about, string? summary, IReadOnlyList<LogEntry> pending,
        IReadOnlySet<long>? withheld, List<LogEntry>? published, bool force, CancellationToken cancellationToken)
    {
        SyncReport report;
        try
        {
            report = await _runner.RunAsync(new SyncRequest(jobs, [project], DryRun: false, summary)
            {
                ArchiveMonths = SalEntries.ArchiveMonthsFor(about, _time.GetUtcNow()),
                SalWithheld = withheld,
                Urgent = true,
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _log.LogWarning(e, "Publishing {Count} SAL entries of {Project} failed; they wait for a retry", pending.Count, project);
            return new Pass(null, new HashSet<long>(), null);
        }

        var landed = new HashSet<long>();
        var waiting = pending.ToDictionary(e => e.Id);
        foreach (var page in Records(jobs) ? report.Pages : [])
        {
            if (page.Action is PageAction.Failed or PageAction.Skipped || page.SalEntryIds.Count == 0)
                continue;
            var carried = page.SalEntryIds.Where(waiting.ContainsKey).ToList();
            if (carried.Count == 0)
                continue;
            var now = _time.GetUtcNow();
            await _store.MarkPublishedAsync(carried, page.RevisionId ?? 0, now, cancellationToken);
            var marked = carried.Select(id => waiting[id]).ToList();
            foreach (var id in carried)
            {
                waiting.Remove(id);
                landed.Add(id);
            }

            if (!force)
                published?.AddRange(marked);
            OnPublished(new SalPublished(project, page.RevisionId ?? 0, now, marked));
        }

        return new Pass(report, landed, report.Pages.Select(p => p.Refusal).FirstOrDefault(r => r is not null));
    }

    /// <summary>
    /// Whether a pass of <paramref name="jobs"/> says which entries are published: an entry is published once
    /// its log page or an archive page shows it, so with a log job only a pass of those jobs counts. The recent log on the project
    /// page saved while the log page was not (the wiki came back between the two) publishes nothing: the entry
    /// waits for its log page.
    /// </summary>
    private bool Records(IReadOnlyList<string> jobs) => _pages.UrgentJobs.Count == 0 || jobs.Any(_pages.UrgentJobs.Contains);

    /// <summary>
    /// The wiki refused the text of a page carrying <paramref name="suspects"/> for what it says. First the
    /// page without any of them: refused too, it is not their fault (a filter now matches what is on the
    /// page already) and they wait as after any failure. Otherwise halves are rendered until each refused
    /// half is one entry, which is marked refused with the wiki's reason; every half the wiki takes is
    /// published on the way, so k bad entries among n cost about k·log2(n) tries, and one bad entry alone
    /// costs one. True when the search ended (whatever it found); false when the wiki failed otherwise
    /// on the way (the rest waits for a retry).
    /// </summary>
    private async Task<bool> FindRefusedAsync(string project, IReadOnlyList<string> jobs, IReadOnlyList<LogEntry> suspects, ContentRefusal refusal,
        List<LogEntry>? published, CancellationToken cancellationToken)
    {
        _log.LogWarning("The wiki refused the SAL of {Project} ({Reason}); looking for the entry among {Count} it refuses", project, refusal, suspects.Count);
        var without = await TryAsync(project, jobs, [], suspects, published, cancellationToken);
        if (without.Report is null || without.Refusal is not null)
        {
            _log.LogWarning("The SAL of {Project} fails even without its {Count} new entries ({Reason}); they wait for a retry",
                project, suspects.Count, without.Refusal?.ToString() ?? "the wiki failed");
            return false;
        }

        var refused = new List<LogEntry>();
        var done = await SplitAsync(project, jobs, suspects, refusal, refused, published, cancellationToken);
        if (refused.Count > 0)
            Refused?.Invoke(this, new SalRefused(project, refused));
        return done;
    }

    private async Task<bool> SplitAsync(string project, IReadOnlyList<string> jobs, IReadOnlyList<LogEntry> suspects, ContentRefusal refusal,
        List<LogEntry> refused, List<LogEntry>? published, CancellationToken cancellationToken)
    {
        if (suspects.Count == 1)
        {
            var entry = suspects[0];
            if (await _store.MarkRefusedAsync([entry.Id], refusal.ToString(), _time.GetUtcNow(), cancellationToken) > 0)
            {
                _log.LogWarning("SAL entry {Id} of {Project} from {Author} refused by the wiki, kept in the store as refused: {Reason}", entry.Id, project, entry.Author, refusal);
                refused.Add(entry);
            }

            return true;
        }

        var half = suspects.Count / 2;
        foreach (var part in new[] { suspects.Take(half).ToList(), suspects.Skip(half).ToList() })
        {
            var pass = await TryAsync(project, jobs, part, suspects, published, cancellationToken);
            if (pass.Report is null)
                return false;
            var left = part.Where(e => !pass.Landed.Contains(e.Id)).ToList();
            if (left.Count == 0)
                continue;
            if (pass.Refusal is not { } why)
                return false;
            var carried = why.SalEntryIds.ToHashSet();
            left = [.. left.Where(e => carried.Contains(e.Id))];
            if (left.Count == 0)
                return false;
            if (!await SplitAsync(project, jobs, left, why, refused, published, cancellationToken))
                return false;
        }

        return true;
    }

    /// <summary>A pass with only <paramref name="part"/> of the waiting entries on the pages (and none that came in meanwhile).</summary>
    private async Task<Pass> TryAsync(string project, IReadOnlyList<string> jobs, IReadOnlyList<LogEntry> part, IReadOnlyList<LogEntry> suspects,
        List<LogEntry>? published, CancellationToken cancellationToken)
    {
        var waiting = await _store.ListUnpublishedAsync(project, cancellationToken);
        var ids = part.Select(e => e.Id).ToHashSet();
        var withheld = waiting.Select(e => e.Id).Where(id => !ids.Contains(id)).ToHashSet();
        // Without any entry the edit (if the page changes at all) is about none: the runner's own summary,
        // never a suspect's message, which the wiki's filters read too.
        return await PassAsync(project, jobs, suspects, part.Count > 0 ? Summary(part) : null, [.. waiting.Where(e => ids.Contains(e.Id))],
            withheld, published, force: false, cancellationToken);
    }

    /// <summary>The edit summary: <c>message (nick)</c> for one entry, the count for several; within MediaWiki's limit (<see cref="EditSummary"/>).</summary>
    public static string Summary(IReadOnlyList<LogEntry> entries)
    {
        if (entries.Count != 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{entries.Count} Server Admin Log entries");
        }

        var entry = entries[0];
        var message = string.Concat(entry.Message.Where(c => !char.IsControl(c)));
        return EditSummary.Truncate(message, $" ({entry.Author})");
    }

    private void OnPublished(SalPublished published)
    {
        foreach (var entry in published.Entries)
        {
            // One line per entry with both instants: the latency benchmark reads these.
            _log.LogInformation(
                "SAL entry {Id} of {Project} received {ReceivedUtc:O} published {PublishedUtc:O} in revision {Revision} after {LatencyMs} ms",
                entry.Id, published.Project, entry.ReceivedUtc, published.PublishedUtc, published.Revision,
                (long)(published.PublishedUtc - entry.ReceivedUtc).TotalMilliseconds);
        }

        Published?.Invoke(this, published);
    }
}
