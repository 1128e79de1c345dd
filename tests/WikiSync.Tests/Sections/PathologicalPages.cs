namespace WikiSync.Tests.Sections;

/// <summary>
/// Pages built to make a careless scanner quadratic. The unit tests check they splice correctly; the
/// benchmarks (which compile this file too) measure that they scan in linear time.
/// </summary>
public static class PathologicalPages
{
    public static IReadOnlyList<string> All { get; } =
    [
        string.Concat(Enumerable.Repeat("<nowiki>", 20_000)),
        "<!-- wikisync:begin a" + new string('<', 100_000),
        string.Concat(Enumerable.Repeat("<pre ", 20_000)),
        string.Concat(Enumerable.Repeat("</nowiki", 20_000)),
        string.Concat(Enumerable.Repeat("<!---->", 20_000)),
        string.Concat(Enumerable.Repeat("<nowiki></nowik", 10_000)),
    ];
}
