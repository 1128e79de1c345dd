namespace WikiSync.Sections;

/// <summary>
/// What one generated section should hold. <paramref name="PlaceIfMissing"/> is false for a section
/// WikiSync placed before and an editor removed since: it is then reported, not put back.
/// </summary>
public sealed record SectionContent(string Name, string Text, Placement Placement, bool PlaceIfMissing = true);
