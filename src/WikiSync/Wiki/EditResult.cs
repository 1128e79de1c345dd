namespace WikiSync.Wiki;

/// <summary><see cref="Changed"/> is false when the wiki answered nochange.</summary>
public sealed record EditResult(string Title, bool Changed, long RevisionId, string? Timestamp)
{
    /// <summary>
    /// The revision the saved one follows (the answer's <c>oldrevid</c>, 0 for a new page); null when not
    /// known. When it is not the revision the edit was based on, the wiki merged someone else's edit into ours.
    /// </summary>
    public long? ParentRevisionId { get; init; }

    /// <summary>The wiki's id of the page saved (0 when not known).</summary>
    public long PageId { get; init; }
}
