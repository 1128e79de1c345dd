using Microsoft.Extensions.Logging;
using WikiSync.Sync;
using WikiSync.Wiki;

namespace WikiSync.AdminLog.Import;

/// <summary>What an import read and did (or, in a dry run, would do).</summary>
public sealed record SalImportReport(
    IReadOnlyList<string> Sources,
    int Read,
    int Added,
    int AlreadyStored,
    int OtherProjects,
    IReadOnlyList<ImportProblem> Problems);

/// <summary>
/// <c>wikisync sal import</c>: reads an earlier log (a wiki page and the archive pages it links, or a
/// JSON-lines copy) and stores its entries under the project with their own time, author and text, each
/// once (<see cref="ImportedEntry.Key"/>). <see cref="TakeOverAsync"/> then puts the generated section where
/// the hand-kept log was, in one edit.
/// </summary>
public sealed class SalImporter(LogEntryStore store, IWikiSite wiki, ISyncRunner runner, TimeProvider time, ILogger<SalImporter> log)
{
    /// <summary>The job whose section replaces a hand-kept log (jobs/sal.yaml) and the section it writes.</summary>
    public const string SalJob = "sal";

    public const string SalSection = "sal";

    /// <summary>Archives beyond this are not followed: a loop of links or a runaway page tree, not a log.</summary>
    private const int MaxPages = 2000;

    /// <summary>Reads the page and every archive page it links (and they link), breadth first.</summary>
    public async Task<IReadOnlyList<SalPage>> ReadPagesAsync(string title, CancellationToken cancellationToken)
    {
        var pages = new List<SalPage>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { title };
        var next = new List<string> { title };
        while (next.Count > 0 && pages.Count < MaxPages)
        {
            var read = await wiki.ReadPagesAsync(next, cancellationToken);
            var found = new List<string>();
            foreach (var name in next)
            {
                var page = read[name];
                if (!page.Exists)
                {
                    pages.Add(new SalPage(name, [], [new ImportProblem(name, 0, "", "the page does not exist")], [], null) { Exists = false });
                    continue;
                }

                var parsed = SalPageParser.Parse(name, page.Text);
                pages.Add(parsed);
                found.AddRange(parsed.ArchiveTitles.Where(seen.Add));
            }

            next = [.. found.Take(MaxPages - pages.Count)];
        }

        return pages;
    }

    /// <summary>Stores the entries (or counts what would be stored), each key once.</summary>
    public async Task<SalImportReport> ImportAsync(
        string project, IReadOnlyList<string> sources, IReadOnlyList<ImportedEntry> entries, IReadOnlyList<ImportProblem> problems, int otherProjects, bool dryRun, CancellationToken cancellationToken)
    {
        var unique = entries
            .Select(e => new NewLogEntry(e.Key(project), project, e.Author, e.Message, "import", e.Utc))
            .DistinctBy(e => e.IdempotencyKey)
            .ToList();
        int added;
        if (dryRun)
        {
            var existing = await store.ExistingKeysAsync([.. unique.Select(e => e.IdempotencyKey)], cancellationToken);
            added = unique.Count - existing.Count;
        }
        else
        {
            added = await store.AddImportedAsync(unique, time.GetUtcNow(), cancellationToken);
            log.LogInformation("Imported {Added} SAL entries for {Project} from {Sources} ({Problems} lines not taken)", added, project, string.Join(", ", sources), problems.Count);
        }

        return new SalImportReport(sources, entries.Count, added, unique.Count - added, otherProjects, problems);
    }

    /// <summary>
    /// Replaces the hand-kept log on <paramref name="page"/> (from its first day heading to its last line)
    /// by the sal job's section as the sync renders it now, in one edit; the text above and below stays.
    /// Null when done, else why not (nothing is changed then).
    /// </summary>
    public async Task<string?> TakeOverAsync(string project, SalPage page, CancellationToken cancellationToken)
    {
        if (page.Problems.Count > 0)
            return $"{page.Problems.Count} lines of {page.Title} did not parse; a take-over would lose them. Fix them on the page (or move them out of the log) and import again.";

        var preview = await runner.RunAsync(new SyncRequest([SalJob], [project], DryRun: true), cancellationToken);
        var outcome = preview.Pages.FirstOrDefault(p => SameTitle(p.Title, page.Title));
        if (outcome is null)
            return $"the {SalJob} job does not write {page.Title} for {project} (it writes {string.Join(", ", preview.Pages.Select(p => p.Title).DefaultIfEmpty("no page"))}); take over the page it writes";
        if (outcome.Action is PageAction.Failed or PageAction.Skipped || outcome.Text is null)
            return $"the {SalJob} section for {page.Title} could not be rendered: {outcome.Reason ?? outcome.Action.ToString()}";
        if (Block(outcome.Text) is not { } block)
            return $"the {SalJob} section was not found in the rendered page {page.Title}";

        var current = (await wiki.ReadPagesAsync([page.Title], cancellationToken))[page.Title];
        var now = SalPageParser.Parse(page.Title, current.Text);
        if (now.Region is not { } region)
            return $"{page.Title} holds no hand-kept log (no day heading outside WikiSync's sections)";
        if (now.Problems.Count > 0 || now.Entries.Count != page.Entries.Count)
            return $"{page.Title} changed while it was imported; import again";

        var text = current.Text[..region.Start] + block + current.Text[region.End..];
        var result = await wiki.EditAsync(new EditRequest(page.Title, text, $"Server Admin Log now kept by WikiSync ({page.Entries.Count} entries imported)", current, Minor: false), cancellationToken);
        log.LogInformation("Took over the Server Admin Log on {Page} for {Project} in revision {Revision}", page.Title, project, result.RevisionId);
        return null;
    }

    /// <summary>The section with its markers, as the sync placed it in the rendered text.</summary>
    private static string? Block(string text)
    {
        var begin = text.IndexOf($"<!-- wikisync:begin {SalSection} -->", StringComparison.Ordinal);
        var endMarker = $"<!-- wikisync:end {SalSection} -->";
        var end = begin < 0 ? -1 : text.IndexOf(endMarker, begin, StringComparison.Ordinal);
        return end < 0 ? null : text[begin..(end + endMarker.Length)];
    }

    private static bool SameTitle(string a, string b) =>
        string.Equals(a.Replace('_', ' ').Trim(), b.Replace('_', ' ').Trim(), StringComparison.Ordinal);
}
