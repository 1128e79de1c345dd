using WikiSync.Storage;

namespace WikiSync.Sync;

/// <summary>
/// What WikiSync last saved or verified between one section's markers on a page: the hash of that text
/// (<see cref="PageFingerprint.SectionText"/>) and the revision it was in; text on the wiki that hashes
/// otherwise was changed by someone since.
/// </summary>
public sealed record WrittenSection(string Page, string Section, string TextHash, long Revision)
{
    /// <summary>Set while the section is kept as a person wrote it (<c>human_edits: keep</c>).</summary>
    public HeldSection? Held { get; init; }
}

/// <summary>A section kept as a person wrote it: the hash of the render it was kept against (its data), and whose edit it is.</summary>
public sealed record HeldSection(string RenderHash, string User, long Revision);

/// <summary>
/// Where the written sections are kept (<c>written_sections</c> in the store). Losing one only costs
/// noticing the next edit inside that section.
/// </summary>
public interface IWrittenSections
{
    Task<IReadOnlyList<WrittenSection>> FindAsync(IReadOnlyCollection<string> pages, CancellationToken cancellationToken);

    Task RecordAsync(IReadOnlyCollection<WrittenSection> sections, CancellationToken cancellationToken);
}

/// <summary>The written sections kept in the store, shared by every node and run.</summary>
public sealed class StoreWrittenSections(WrittenSectionsStore store) : IWrittenSections
{
    public async Task<IReadOnlyList<WrittenSection>> FindAsync(IReadOnlyCollection<string> pages, CancellationToken cancellationToken) =>
        [.. (await store.FindAsync(pages, cancellationToken)).Select(r => new WrittenSection(r.Page, r.Section, r.TextHash, r.Revision)
        {
            Held = r.HeldRender is { } render ? new HeldSection(render, r.HeldUser ?? "", r.HeldRevision ?? 0) : null,
        })];

    public Task RecordAsync(IReadOnlyCollection<WrittenSection> sections, CancellationToken cancellationToken) =>
        store.RecordAsync([.. sections.Select(s => new WrittenSectionRow(s.Page, s.Section, s.TextHash, s.Revision)
        {
            HeldRender = s.Held?.RenderHash,
            HeldUser = s.Held?.User,
            HeldRevision = s.Held?.Revision,
        })], cancellationToken);
}
