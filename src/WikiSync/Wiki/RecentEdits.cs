namespace WikiSync.Wiki;

/// <summary>
/// What the wiki's recent changes say happened since a moment: the revisions some edit was saved on top
/// of (each edit's parent), and the pages (by id) that were moved, deleted, merged, imported or protected —
/// changes that are not an edit on top of a revision. Id 0 among those: a row that could not name its page.
/// </summary>
public sealed record RecentEdits(IReadOnlySet<long> Superseded, IReadOnlySet<long> TouchedPages)
{
    /// <summary>The pages asked along with the recent changes, by the title asked; one the wiki did not answer plainly is absent.</summary>
    public IReadOnlyDictionary<string, WikiPage> Pages { get; init; } = new Dictionary<string, WikiPage>(StringComparer.Ordinal);

    /// <summary>Whether some edit since then was saved on top of <paramref name="revision"/>.</summary>
    public bool Supersedes(long revision) => Superseded.Contains(revision);

    /// <summary>Whether the page with this id (0: not known) may have been moved, deleted, merged, imported or protected since.</summary>
    public bool Touched(long pageId) =>
        TouchedPages.Contains(0) || (pageId == 0 ? TouchedPages.Count > 0 : TouchedPages.Contains(pageId));
}
