using System.Globalization;
using System.Text;
using WikiSync.AdminLog.Import;
using WikiSync.Tests.Rendering;

namespace WikiSync.Tests.AdminLog.Import;

/// <summary>
/// Each folder of Golden/ holds a log page as earlier bots and people wrote it (page.wiki) beside what the
/// import reads from it (expected.txt): every entry, every line not taken, the archive links and the region a
/// take-over replaces. WIKISYNC_UPDATE_GOLDEN=1 rewrites the expected files.
/// </summary>
public sealed class SalPageParserGoldenTests
{
    private const string Title = "Server admin log";

    private static string GoldenRoot => Path.Combine(Repository.Root, "tests", "WikiSync.Tests", "AdminLog", "Import", "Golden");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(GoldenRoot).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Page_reads_as_expected(string name)
    {
        var folder = Path.Combine(GoldenRoot, name);
        var page = File.ReadAllText(Path.Combine(folder, "page.wiki"));
        var actual = Describe(SalPageParser.Parse(Title, page), page);
        var expectedPath = Path.Combine(folder, "expected.txt");
        if (Environment.GetEnvironmentVariable("WIKISYNC_UPDATE_GOLDEN") == "1")
            File.WriteAllText(expectedPath, actual);
        actual.ShouldBe(File.ReadAllText(expectedPath));
    }

    private static string Describe(SalPage parsed, string page)
    {
        var text = new StringBuilder();
        text.Append("entries:\n");
        foreach (var e in parsed.Entries)
            text.Append(CultureInfo.InvariantCulture, $"  {e.Utc:yyyy-MM-dd HH:mm} | {e.Author} | {e.Message} | line {e.Line}\n");
        text.Append("problems:\n");
        foreach (var p in parsed.Problems)
            text.Append(CultureInfo.InvariantCulture, $"  {p}\n");
        text.Append("archives:\n");
        foreach (var a in parsed.ArchiveTitles)
            text.Append(CultureInfo.InvariantCulture, $"  {a}\n");
        text.Append("region:\n");
        if (parsed.Region is { } region)
        {
            var lines = page[region.Start..region.End].Split('\n');
            text.Append(CultureInfo.InvariantCulture, $"  first: {lines[0]}\n  last: {lines[^1]}\n");
        }

        return text.ToString();
    }
}
