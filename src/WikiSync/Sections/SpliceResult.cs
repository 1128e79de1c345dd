namespace WikiSync.Sections;

/// <summary>
/// The outcome of splicing sections into a page. When <see cref="Problems"/> is not empty the page
/// is broken and <see cref="Text"/> is the input, untouched.
/// </summary>
public sealed record SpliceResult(
    string Text,
    IReadOnlyList<string> Changed,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Missing,
    IReadOnlyList<MarkerProblem> Problems)
{
    public bool IsBroken => Problems.Count > 0;

    public bool HasChanges => Changed.Count > 0 || Added.Count > 0;
}

/// <summary>A broken marker: the 1-based line it is on, the section name if known, and why.</summary>
public sealed record MarkerProblem(int Line, string? Section, string Reason)
{
    public override string ToString() => Section is null ? $"line {Line}: {Reason}" : $"line {Line}: section '{Section}': {Reason}";
}
