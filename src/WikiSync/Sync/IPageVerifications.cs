using WikiSync.Storage;

namespace WikiSync.Sync;

/// <summary>
/// What a sync last verified on a page for one set of sections (<see cref="PageFingerprint.SectionSet"/>):
/// the page's revision right after our save, or the revision we read and found current, and the hash of
/// the sections rendered for it.
/// </summary>
public sealed record PageVerification(string Page, string SectionSet, long Revision, string SectionsHash)
{
    /// <summary>
    /// When the page was verified (the start of the pass that read or saved it): a change saved after it
    /// is one the wiki's recent changes since then show. Null when recorded: the time of recording.
    /// </summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>The wiki's id of the page (0 when not known).</summary>
    public long PageId { get; init; }

    /// <summary>What the sections were rendered from (<see cref="PageFingerprint.Inputs"/>); empty when not known.</summary>
    public string InputsHash { get; init; } = "";
}

/// <summary>
/// Where verifications are kept (<c>verified_pages</c> in the store). Losing one is harmless: the page
/// is then read in full, as before there were any.
/// </summary>
public interface IPageVerifications
{
    Task<IReadOnlyList<PageVerification>> FindAsync(IReadOnlyCollection<string> pages, CancellationToken cancellationToken);

    /// <summary>The oldest verification (of any page) at or after <paramref name="notBefore"/>; null when there is none.</summary>
    Task<DateTimeOffset?> OldestAsync(DateTimeOffset notBefore, CancellationToken cancellationToken);

    Task RecordAsync(IReadOnlyCollection<PageVerification> verifications, CancellationToken cancellationToken);
}

/// <summary>The verifications kept in the store, shared by every node and run.</summary>
public sealed class StorePageVerifications(VerifiedPagesStore store) : IPageVerifications
{
    public async Task<IReadOnlyList<PageVerification>> FindAsync(IReadOnlyCollection<string> pages, CancellationToken cancellationToken) =>
        [.. (await store.FindAsync(pages, cancellationToken)).Select(r => new PageVerification(r.Page, r.SectionSet, r.Revision, r.SectionsHash) { AsOf = r.VerifiedUtc, PageId = r.PageId, InputsHash = r.InputsHash })];

    public Task<DateTimeOffset?> OldestAsync(DateTimeOffset notBefore, CancellationToken cancellationToken) =>
        store.OldestAsync(notBefore, cancellationToken);

    public Task RecordAsync(IReadOnlyCollection<PageVerification> verifications, CancellationToken cancellationToken) =>
        store.RecordAsync([.. verifications.Select(v => new VerifiedPageRow(v.Page, v.SectionSet, v.Revision, v.SectionsHash) { VerifiedUtc = v.AsOf, PageId = v.PageId, InputsHash = v.InputsHash })], cancellationToken);
}
