using System.Text;

namespace WikiSync.AdminLog;

/// <summary>
/// Page titles and URLs the SAL replies point at. <paramref name="wikiIndexUrl"/> is the wiki's
/// <c>index.php</c> (e.g. <c>https://wiki.example.org/w/index.php</c>).
/// </summary>
public sealed class SalLinks(string wikiIndexUrl, string fullLogTitle = "Nova Resource:{0}/SAL", string indexTitle = "Nova Resource:Projects")
{
    public string FullLogTitle(string project) => string.Format(System.Globalization.CultureInfo.InvariantCulture, fullLogTitle, project);

    /// <summary>True for the full log page of the project and its monthly archives: the pages where an entry must land.</summary>
    public bool IsLogPage(string project, string title)
    {
        var full = Normalize(FullLogTitle(project));
        var t = Normalize(title);
        return t == full || t.StartsWith(full + "/", StringComparison.Ordinal);
    }

    public string FullLogUrl(string project) => PageUrl(FullLogTitle(project));

    public string IndexUrl => PageUrl(indexTitle);

    public string PageUrl(string title)
    {
        var builder = new StringBuilder(wikiIndexUrl).Append("?title=");
        foreach (var rune in title.Replace(' ', '_').EnumerateRunes())
        {
            var s = rune.ToString();
            // Keep the characters MediaWiki shows in its own links readable; escape the rest.
            builder.Append(rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || "_-.:/()!,~*'".Contains((char)rune.Value, StringComparison.Ordinal))
                ? s
                : Uri.EscapeDataString(s));
        }

        return builder.ToString();
    }

    private static string Normalize(string title) => title.Replace('_', ' ').Trim();
}
