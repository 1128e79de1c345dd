namespace WikiSync.Sync;

/// <summary>How the runner behaves: the emergency stop page and how often to retry an edit conflict.</summary>
public sealed record SyncOptions(string ShutoffPage, int MaxConflictRetries = 5, string SummaryPrefix = "WikiSync");
