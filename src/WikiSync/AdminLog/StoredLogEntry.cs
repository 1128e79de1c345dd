using WikiSync.Model;

namespace WikiSync.AdminLog;

/// <summary>Where a stored SAL entry stands. Refused and hidden entries are on no wiki page and wait for nothing.</summary>
public enum SalEntryState
{
    /// <summary>Stored, not on the wiki yet: the publisher and the sweep try it.</summary>
    Waiting,

    Published,

    /// <summary>The wiki refused its text (spam filter, abuse filter, size); tried again only after <c>wikisync sal retry</c>.</summary>
    Refused,

    /// <summary>An operator keeps it off the wiki (<c>wikisync sal hide</c>); it stays in the store.</summary>
    Hidden,
}

/// <summary>
/// A SAL entry with its state, for the operator (<c>wikisync sal list</c>, the status page, the IRC notice).
/// <see cref="Reason"/> is the wiki's error code and message of a refusal; <see cref="StateUtc"/> when it
/// was refused or hidden.
/// </summary>
public sealed record StoredLogEntry(LogEntry Entry, SalEntryState State, string? Reason = null, DateTimeOffset? StateUtc = null);

/// <summary>What <c>wikisync sal retry</c> or <c>hide</c> found; <see cref="Entry"/> as it is now (null: no such id).</summary>
public sealed record SalStateChange(StoredLogEntry? Entry, bool Changed);
