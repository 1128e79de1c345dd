namespace WikiSync.Wiki;

/// <summary>The newest revision of a page saved by another account than ours: who, which revision, when (the API's timestamp).</summary>
public sealed record OtherEdit(long Revision, string User, string Timestamp);
