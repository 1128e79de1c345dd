namespace WikiSync.Wiki;

/// <summary>
/// What the wiki's recent changes say happened since a moment: the revisions some edit was saved on top
/// of (each edit's parent), and whether anything happened that moves, deletes, merges, imports or
/// protects pages — changes that are not edits on top of a revision and cannot be told apart by it.
/// </summary>
public sealed record RecentEdits(IReadOnlySet<long> Superseded, bool PageEvents)
{
    /// <summary>Whether some edit since then was saved on top of <paramref name="revision"/>.</summary>
    public bool Supersedes(long revision) => Superseded.Contains(revision);
}
