using Microsoft.Extensions.Logging;
using WikiSync.Jobs;
using WikiSync.Sections;
using WikiSync.Wiki;

namespace WikiSync.Sync;

// Issue 15 §2: a section whose text on the wiki is not what WikiSync last saved or verified there was
// changed by someone; the pass learns who (one request for the pages that need it, none on a page that
// did not change) and, per job, regenerates it naming the edit (human_edits: replace) or leaves it as the
// person wrote it until its data changes or an operator takes it back (human_edits: keep).
public sealed partial class SyncRunner
{
    /// <summary>What one batch knows of its pages' sections: the written rows (page → section) and the edits by others found (page → section).</summary>
    private sealed class SectionWatch
    {
        private static readonly Dictionary<string, WrittenSection> NoRows = [];
        private static readonly Dictionary<string, HumanEdit> NoEdits = [];

        public Dictionary<string, Dictionary<string, WrittenSection>> Rows { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Dictionary<string, HumanEdit>> Edits { get; } = new(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, WrittenSection> RowsOf(string title) => Rows.GetValueOrDefault(title) ?? NoRows;

        public IReadOnlyDictionary<string, HumanEdit> EditsOf(string title) => Edits.GetValueOrDefault(title) ?? NoEdits;

        public bool IsHeld(string title, string section) =>
            EditsOf(title).TryGetValue(section, out var edit) && edit.Action == HumanEditAction.Held;

        public void Add(string title, HumanEdit edit)
        {
            if (!Edits.TryGetValue(title, out var edits))
                Edits[title] = edits = new Dictionary<string, HumanEdit>(StringComparer.Ordinal);
            edits[edit.Section] = edit;
        }
    }

    private static string RenderHash(PlannedSection section) => PageFingerprint.SectionText(SectionSplicer.Inner(section.Text));

    private HumanEditPolicy PolicyOf(string job) => _jobs.Find(job)?.HumanEdits ?? HumanEditPolicy.Replace;

    private static HashSet<string> TakeBackKeys(SyncRequest request) =>
        request.TakeBack.Select(WikiTitle.SamePageKey).ToHashSet(StringComparer.Ordinal);

    /// <summary>A <c>--take-back</c> title no page of this pass has is a mistake the operator hears about.</summary>
    private static IEnumerable<JobProblem> UnknownTakeBacks(SyncRequest request, List<PagePlan> plans)
    {
        var titles = plans.Select(p => WikiTitle.SamePageKey(p.Title)).ToHashSet(StringComparer.Ordinal);
        return request.TakeBack.Where(t => !titles.Contains(WikiTitle.SamePageKey(t)))
            .Select(t => new JobProblem("(take-back)", $"--take-back \"{t}\": no job of this pass writes that page"));
    }

    /// <summary>The batch's written sections (one store query), the held sections of the pages not read, and what <see cref="DetectAsync"/> finds on the pages read.</summary>
    private async Task<SectionWatch> WatchSectionsAsync(CheckedBatch batch, SyncRequest request, CancellationToken ct)
    {
        var watch = new SectionWatch();
        if (_written is null || batch.Plans.Count == 0)
            return watch;
        try
        {
            foreach (var row in await _written.FindAsync([.. batch.Plans.Select(p => p.Title)], ct))
            {
                if (!watch.Rows.TryGetValue(row.Page, out var rows))
                    watch.Rows[row.Page] = rows = new Dictionary<string, WrittenSection>(StringComparer.Ordinal);
                rows[row.Section] = row;
            }
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            _log.LogWarning("The store cannot say what WikiSync wrote in the sections of {Count} pages; an edit inside them is not noticed this pass: {Reason}", batch.Plans.Count, e.Message);
            return watch;
        }

        var read = new List<(PagePlan Plan, WikiPage Page)>();
        foreach (var plan in batch.Plans)
        {
            var rows = watch.RowsOf(plan.Title);
            // A page known current from its inputs was not rendered; its sections are needed only to compare
            // with a held section's render, or to note one the store does not have as written.
            if (batch.Current.ContainsKey(plan.Title) && !plan.IsRendered && plan.SectionNames.Any(n => rows.GetValueOrDefault(n) is not { Held: null }))
                plan.Render(_templates);
            if (rows.Count == 0)
                continue;
            if (batch.Current.ContainsKey(plan.Title))
            {
                // Not read: the verified revision holds what was held, and the render it was held against.
                foreach (var section in plan.Sections)
                {
                    if (rows.TryGetValue(section.Name, out var row) && row.Held is { } held && held.RenderHash == RenderHash(section))
                        watch.Add(plan.Title, new HumanEdit(section.Name, section.Job, held.User, held.Revision, HumanEditAction.Held) { New = false });
                }
            }
            else if (batch.Pages.TryGetValue(plan.Title, out var page))
            {
                read.Add((plan, page));
            }
        }
        await DetectAsync(read, watch, request, ct);
        return watch;
    }

    /// <summary>
    /// On the pages as read, the sections about to be replaced whose text is not what WikiSync wrote: who
    /// changed them (one wiki request for those pages, none when a held section's data is unchanged), and
    /// whether each is replaced or held. Replaces what <paramref name="watch"/> said of these pages.
    /// </summary>
    private async Task DetectAsync(List<(PagePlan Plan, WikiPage Page)> pages, SectionWatch watch, SyncRequest request, CancellationToken ct)
    {
        var takeBack = TakeBackKeys(request);
        var suspects = new List<(PagePlan Plan, PlannedSection Section, WrittenSection Row, bool Keep)>();
        foreach (var (plan, page) in pages)
        {
            watch.Edits.Remove(plan.Title);
            var rows = watch.RowsOf(plan.Title);
            if (rows.Count == 0 || !page.Exists)
                continue;
            var scan = SectionSplicer.Scan(page.Text);
            if (scan.Problems.Count > 0)
                continue;
            var keep = !takeBack.Contains(WikiTitle.SamePageKey(plan.Title));
            foreach (var section in plan.Sections)
            {
                if (!rows.TryGetValue(section.Name, out var row) || scan.Sections.FirstOrDefault(f => f.Name == section.Name) is not { } found)
                    continue;
                var content = found.Content(page.Text);
                if (content == SectionSplicer.Inner(section.Text) || PageFingerprint.SectionText(content) == row.TextHash)
                    continue;
                suspects.Add((plan, section, row, keep && PolicyOf(section.Job) == HumanEditPolicy.Keep));
            }
        }
        if (suspects.Count == 0)
            return;

        static bool StillHeld(PlannedSection section, WrittenSection row, bool keep) => keep && row.Held is { } held && held.RenderHash == RenderHash(section);
        var ask = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (plan, section, row, keep) in suspects.Where(s => !StillHeld(s.Section, s.Row, s.Keep)))
            ask[plan.Title] = Math.Min(ask.GetValueOrDefault(plan.Title, long.MaxValue), row.Revision);
        IReadOnlyDictionary<string, OtherEdit> others = new Dictionary<string, OtherEdit>(StringComparer.Ordinal);
        if (ask.Count > 0)
        {
            try
            {
                others = await _wiki.ReadOtherEditsAsync(ask, ct);
            }
            catch (WikiApiException e)
            {
                _log.LogWarning("Could not learn who edited inside the sections of {Count} pages; their sections are regenerated without naming the edit: {Reason}", ask.Count, e.Message);
            }
        }
        foreach (var (plan, section, row, keep) in suspects)
        {
            if (StillHeld(section, row, keep))
            {
                watch.Add(plan.Title, new HumanEdit(section.Name, section.Job, row.Held!.User, row.Held.Revision, HumanEditAction.Held) { New = false });
                continue;
            }
            // None: only WikiSync's own account saved since (another store's run, a save the store missed).
            if (others.GetValueOrDefault(plan.Title) is not { } other)
                continue;
            // Kept until its data changes: a held section whose render moved on is regenerated over the edit.
            var action = keep && row.Held is null ? HumanEditAction.Held : HumanEditAction.Replaced;
            watch.Add(plan.Title, new HumanEdit(section.Name, section.Job, other.User, other.Revision, action));
        }
    }

    /// <summary>
    /// The sections <paramref name="text"/> (revision <paramref name="revision"/>) holds exactly as rendered, as
    /// WikiSync now wrote or verified them, and the held ones newly held: the rows to keep, where they differ
    /// from the store's.
    /// </summary>
    private static void NoteWritten(PagePlan plan, string? text, long revision, SectionWatch watch, List<WrittenSection> written)
    {
        if (revision <= 0)
            return;
        var rows = watch.RowsOf(plan.Title);
        var edits = watch.EditsOf(plan.Title);
        // No text: the page was verified current, so it holds every section as rendered but the held ones.
        var scan = text is null ? null : SectionSplicer.Scan(text);
        if (scan is { Problems.Count: > 0 })
            return;
        foreach (var section in plan.Sections)
        {
            rows.TryGetValue(section.Name, out var row);
            if (edits.TryGetValue(section.Name, out var edit) && edit.Action == HumanEditAction.Held)
            {
                if (row is { Held: null })
                    written.Add(row with { Held = new HeldSection(RenderHash(section), edit.User, edit.Revision) });
                continue;
            }
            if (row?.Held is not null && text is null)
                continue;
            var inner = SectionSplicer.Inner(section.Text);
            if (scan is not null && (scan.Sections.FirstOrDefault(f => f.Name == section.Name) is not { } found || found.Content(text!) != inner))
                continue;
            var hash = PageFingerprint.SectionText(inner);
            if (row is { Held: null } && row.TextHash == hash)
                continue;
            written.Add(new WrittenSection(plan.Title, section.Name, hash, revision));
        }
    }

    /// <summary>Keeps what this pass wrote in the sections; a store that fails only costs noticing the next edit inside them.</summary>
    private Task RecordWrittenAsync(List<WrittenSection> written) =>
        _written is null || written.Count == 0
            ? Task.CompletedTask
            : KeepAsync(ct => _written.RecordAsync(written, ct), e =>
                _log.LogWarning("The store could not keep what WikiSync wrote in the sections of {Count} pages: {Reason}", written.Select(w => w.Page).Distinct().Count(), e.Message));

    /// <summary>The operator's line for a page with edits by others: what was held, updated and replaced.</summary>
    private static string? HumanEditReason(IReadOnlyList<HumanEdit> edits, IReadOnlyList<string> saved, string? note)
    {
        if (edits.Count == 0)
            return note;
        var held = edits.Where(e => e.Action == HumanEditAction.Held).Select(e => e.Describe()).ToList();
        var replaced = edits.Where(e => e.Action == HumanEditAction.Replaced).Select(e => e.Describe()).ToList();
        var parts = new List<string>(held);
        if (saved.Count > 0)
            parts.Add(held.Count > 0 ? $"updated {string.Join(", ", saved)}" : string.Join(", ", saved));
        parts.AddRange(replaced);
        if (note is not null)
            parts.Add(note);
        return string.Join("; ", parts);
    }
}
