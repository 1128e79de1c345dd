namespace WikiSync.Sync;

/// <summary>
/// One page's decision. <see cref="Text"/> is the page text as saved (or as it would be, in a dry run),
/// for a caller that shows or checks it (the CLI prints the diff of a dry run).
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
    /// <summary>
    /// The SAL entries the sections of this page carry, as the plan rendered them (ids), on a page saved or
    /// found current: what the SAL publisher records as published. Empty on a failed, skipped or dry-run page.
    /// </summary>
    public IReadOnlyList<long> SalEntryIds { get; init; } = [];

    /// <summary>
    /// Set on a failed page when the wiki refused its text for what it says (<see cref="Wiki.WikiApiException.IsContentRefusal"/>):
    /// no retry of the same text can pass, so the SAL publisher looks for the entry that causes it.
    /// </summary>
    public ContentRefusal? Refusal { get; init; }

    /// <summary>The edits by someone else found inside this page's sections, and whether each was replaced or held.</summary>
    public IReadOnlyList<HumanEdit> HumanEdits { get; init; } = [];

    /// <summary>The CLI's line: "updated TITLE (instances, members)".</summary>
    public override string ToString()
    {
        var verb = Action.ToString().ToLowerInvariant();
        var detail = Reason ?? (Sections.Count > 0 ? string.Join(", ", Sections) : null);
        return detail is null ? $"{verb} {Title}" : $"{verb} {Title} ({detail})";
    }
}

/// <summary>The wiki's error code (e.g. <c>spamdetected</c>) and WikiSync's message about it, which names the page and the wiki's reason.</summary>
public sealed record ContentRefusal(string Code, string Message)
{
    /// <summary>The SAL entries the refused text carried (as <see cref="PageOutcome.SalEntryIds"/> of a saved page): the suspects.</summary>
    public IReadOnlyList<long> SalEntryIds { get; init; } = [];

    public override string ToString() => $"{Code}: {Message}";
}

public enum PageAction
{
    Created,
    Updated,
    Unchanged,
    Skipped,
    Failed,
    /// <summary>
    /// A section someone else edited is left as they wrote it (<c>human_edits: keep</c>); the page's other
    /// sections are updated all the same. Not a failure, and not tried again until the section's data changes.
    /// </summary>
    Held,
}
