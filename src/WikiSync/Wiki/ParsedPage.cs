namespace WikiSync.Wiki;

/// <summary>What the wiki's parser made of a page (action=parse): for checks that a page's structure is intact.</summary>
public sealed record ParsedPage(
    string Title,
    long RevisionId,
    string Html,
    IReadOnlyList<ParsedSection> Sections,
    IReadOnlyList<string> Templates,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Links,
    IReadOnlyList<string> ExternalLinks);

/// <summary>A heading as the parser saw it (MediaWiki's own notion of a section, not WikiSync's markers).</summary>
public sealed record ParsedSection(int Level, string Line, string Anchor, string Index);
