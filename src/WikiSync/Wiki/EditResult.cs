namespace WikiSync.Wiki;

/// <summary><see cref="Changed"/> is false when the wiki answered nochange.</summary>
public sealed record EditResult(string Title, bool Changed, long RevisionId, string? Timestamp);
