namespace WikiSync.Model;

/// <summary>
/// One Server Admin Log entry. <see cref="Anchor"/> is stable for the entry's life, so a retry can
/// tell from the wikitext whether the entry already landed.
/// </summary>
public sealed record LogEntry(
    long Id,
    string Project,
    string Author,
    string Message,
    string Channel,
    DateTimeOffset ReceivedUtc,
    long? PublishedRevision = null)
{
    public string Anchor => $"sal-{Id}";
}
