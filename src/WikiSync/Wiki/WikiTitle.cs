using System.Globalization;
using System.Text;

namespace WikiSync.Wiki;

/// <summary>
/// The wiki's form of a page title, as MediaWiki's title codec makes it from what it is given
/// (<c>MediaWikiTitleCodec::splitTitleString</c>): NFC, the bidi marks U+200E, U+200F and U+202A–U+202E
/// dropped, <c>_</c> and every Unicode space collapsed to one space and trimmed (also around the namespace
/// colon), and the first letter of the title (after a namespace prefix) upper case, as <c>$wgCapitalLinks</c>
/// (the default) has it. Other invisible characters (U+200B, U+2060, U+FEFF, a soft hyphen) MediaWiki keeps:
/// they make another page, one a reader cannot tell from this one.
/// </summary>
public static class WikiTitle
{
    /// <summary>The title as the wiki will store it.</summary>
    public static string Normalize(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var text = title.IsNormalized(NormalizationForm.FormC) ? title : title.Normalize(NormalizationForm.FormC);
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (IsBidiMark(c))
                continue;
            if (IsTitleSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space)
                sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        var normal = sb.ToString();
        var colon = normal.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
            return UpperFirst(normal);
        var prefix = normal[..colon].TrimEnd(' ');
        var rest = normal[(colon + 1)..].TrimStart(' ');
        return UpperFirst(prefix) + ":" + UpperFirst(rest);
    }

    /// <summary>
    /// What two titles share when they land on one wiki page, or on two a reader cannot tell apart: the wiki's
    /// form with the namespace prefix in any case (namespace names are case-insensitive) and no invisible
    /// format characters. Two page plans with one key are one page to the people reading it.
    /// </summary>
    public static string SamePageKey(string title)
    {
        var normal = Normalize(title);
        var sb = new StringBuilder(normal.Length);
        foreach (var c in normal)
        {
            if (char.GetUnicodeCategory(c) != UnicodeCategory.Format)
                sb.Append(c);
        }
        var key = sb.ToString();
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? key : key[..colon].ToUpperInvariant() + key[colon..];
    }

    private static bool IsBidiMark(char c) => c is '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E');

    // MediaWiki's title whitespace: space, '_', NBSP, Ogham space, Mongolian vowel separator, U+2000–U+200A,
    // line and paragraph separators, narrow NBSP, medium mathematical space, ideographic space.
    private static bool IsTitleSpace(char c) =>
        c is ' ' or '_' or '\u00A0' or '\u1680' or '\u180E' or (>= '\u2000' and <= '\u200A') or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000';

    private static string UpperFirst(string text)
    {
        if (text.Length == 0)
            return text;
        var length = char.IsHighSurrogate(text[0]) && text.Length > 1 ? 2 : 1;
        var first = text[..length];
        var upper = first.ToUpperInvariant();
        return upper == first ? text : upper + text[length..];
    }
}
