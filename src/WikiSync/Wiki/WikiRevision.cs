namespace WikiSync.Wiki;

/// <summary>One revision of a page's history with its text.</summary>
public sealed record WikiRevision(long Id, long ParentId, string User, string Timestamp, string Comment, bool Minor, string Text);
