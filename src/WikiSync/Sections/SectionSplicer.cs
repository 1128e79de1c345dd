namespace WikiSync.Sections;

/// <summary>Replaces the text between each section's markers and keeps every other byte as it was.</summary>
public static class SectionSplicer
{
    public static SpliceResult Splice(string page, IReadOnlyList<SectionContent> sections) =>
        throw new NotImplementedException();
}
