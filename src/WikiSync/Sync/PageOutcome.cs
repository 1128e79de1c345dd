namespace WikiSync.Sync;

/// <summary>
/// One page's decision. <see cref="Text"/> is the page text as saved (or as it would be, in a dry run),
/// so a caller such as the SAL publisher can see which entry anchors landed.
/// </summary>
public sealed record PageOutcome(
    string Title,
    PageAction Action,
    IReadOnlyList<string> Sections,
    string? Reason = null,
    long? RevisionId = null,
    string? Diff = null,
    string? Text = null)
{
    /// <summary>The CLI's line: "updated TITLE (instances, members)".</summary>
    public override string ToString()
    {
        var verb = Action.ToString().ToLowerInvariant();
        var detail = Reason ?? (Sections.Count > 0 ? string.Join(", ", Sections) : null);
        return detail is null ? $"{verb} {Title}" : $"{verb} {Title} ({detail})";
    }
}

public enum PageAction
{
    Created,
    Updated,
    Unchanged,
    Skipped,
    Failed,
}
