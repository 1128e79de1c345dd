namespace WikiSync.Wiki;

/// <summary>
/// A page as read. <see cref="Timestamp"/> is the revision's timestamp (the edit's basetimestamp),
/// <see cref="CurTimestamp"/> the server time of the read (the edit's starttimestamp).
/// </summary>
public sealed record WikiPage(
    string Title,
    bool Exists,
    string Text,
    long RevisionId,
    string? Timestamp,
    string CurTimestamp)
{
    /// <summary>The wiki's id of the page (0 when missing or not known): stays with the page when it is moved.</summary>
    public long PageId { get; init; }

    public static WikiPage Missing(string title, string curTimestamp) => new(title, false, "", 0, null, curTimestamp);
}
