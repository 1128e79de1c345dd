namespace WikiSync.Sections;

/// <summary>Where a section the page has never had goes. Default: the end of the page.</summary>
public sealed record Placement(PlacementKind Kind, string? Target = null)
{
    public static Placement End { get; } = new(PlacementKind.End);
}

public enum PlacementKind
{
    /// <summary>At the end of the page.</summary>
    End,
    /// <summary>At the start of the page.</summary>
    Start,
    /// <summary>After the section with the marker name in Target (else at the end).</summary>
    AfterSection,
    /// <summary>Before the section with the marker name in Target (else at the end).</summary>
    BeforeSection,
    /// <summary>At the end of the part under the heading whose text is Target (else at the end).</summary>
    UnderHeading,
}
