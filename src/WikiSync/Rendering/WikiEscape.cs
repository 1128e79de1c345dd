using System.Globalization;
using System.Text;

namespace WikiSync.Rendering;

/// <summary>
/// Turns untrusted strings into wikitext that renders as exactly that text and cannot change the page's
/// structure. Every character that could start markup is written as an HTML character reference, which
/// MediaWiki decodes only after parsing, so the reader sees the character and the parser never does.
/// </summary>
/// <remarks>
/// Always encoded: <c>&amp; &lt; &gt; " ' [ ] { } | ! = ~ :</c> (tags, comments and so markers, entities,
/// links, templates, parser functions, tables, headings, signatures, bold/italic, free URLs and definition
/// lists). Encoded where they would matter: <c>_</c> next to another <c>_</c> (double-underscore magic
/// words), the first letter of <c>ISBN</c>/<c>RFC</c>/<c>PMID</c> (magic links), and a leading
/// <c>* # ; - + </c> or space (lists, horizontal rules, table rows/captions after a cell pipe, preformatted
/// text) — so a value is safe at the start of a line and inside a table cell. Line breaks, tabs and the
/// Unicode line/paragraph separators become a space; other control characters are dropped; a lone
/// surrogate becomes U+FFFD.
/// </remarks>
public static class WikiEscape
{
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        // Escaped as the wiki will store it: U+037E would become ';' (a definition list at a line's start) only after escaping.
        value = Nfc(value);
        if (IsPlain(value))
            return value;
        // A table column repeats its values (a puppet role on every row): the last one is kept.
        if (t_last is { } last && string.Equals(last.Value, value, StringComparison.Ordinal))
            return last.Text;
        var sb = new StringBuilder(value.Length + 16);
        Append(sb, value, atStart: true);
        var escaped = sb.ToString();
        t_last = new EscapedText(value, escaped);
        return escaped;
    }

    [ThreadStatic] private static EscapedText? t_last;

    private sealed record EscapedText(string Value, string Text);

    // Every character Append may change wherever it stands: markup, '_' (only "__" matters, checked below),
    // the first letters of magic-link words (checked below), line breaks and other control characters,
    // the Unicode separators and surrogates (a lone one is replaced).
    private static readonly System.Buffers.SearchValues<char> s_attention = System.Buffers.SearchValues.Create(
        "&<>\"'[]{}|!=~:_IRP\u2028\u2029" + string.Concat(Enumerable.Range(0, 0x20).Select(i => (char)i)) +
        string.Concat(Enumerable.Range(0x7F, 0x21).Select(i => (char)i)) + string.Concat(Enumerable.Range(0xD800, 0x800).Select(i => (char)i)));

    /// <summary>True when <see cref="Append"/> would copy the value unchanged (most names, states, addresses).</summary>
    private static bool IsPlain(string value)
    {
        if (value[0] is '*' or '#' or ';' or '-' or '+' or ' ')
            return false;
        var span = value.AsSpan();
        while (true)
        {
            var i = span.IndexOfAny(s_attention);
            if (i < 0)
                return true;
            switch (span[i])
            {
                case '_' when i + 1 < span.Length && span[i + 1] == '_':
                    return false;
                case 'I' or 'R' or 'P':
                    // Only a magic-link word that does not follow a letter or digit is touched.
                    var full = value.AsSpan();
                    var at = full.Length - span.Length + i;
                    if (IsMagicLinkWord(full, at))
                        return false;
                    break;
                case '_':
                    break;
                default:
                    return false;
            }

            span = span[(i + 1)..];
        }
    }

    /// <summary>
    /// Text in Unicode normalization form C, as MediaWiki stores every saved text: a value in another form
    /// would differ from the page on every pass and be saved again each time. The one place Rendering
    /// decides it: every value is normalized before it is escaped, and every render's output after.
    /// </summary>
    public static string Nfc(string text)
    {
        if (!text.AsSpan().ContainsAnyExceptInRange('\0', '\u007F'))
            return text;
        // A lone surrogate cannot be normalized (nor saved): it becomes U+FFFD, as MediaWiki makes it.
        if (text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
            text = WithoutLoneSurrogates(text);
        return text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
    }

    private static string WithoutLoneSurrogates(string text)
    {
        char[]? copy = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(text[i]))
                (copy ??= text.ToCharArray())[i] = '\uFFFD';
        }
        return copy is null ? text : new string(copy);
    }

    /// <summary>Appends the escaped value; <paramref name="atStart"/> says whether it may begin a line.</summary>
    internal static void Append(StringBuilder sb, ReadOnlySpan<char> value, bool atStart)
    {
        if (value.ContainsAnyExceptInRange('\0', '\u007F'))
            value = Nfc(value.ToString());
        var first = atStart;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\r' && i + 1 < value.Length && value[i + 1] == '\n')
                continue;
            if (c is '\n' or '\r' or '\t' or '\u2028' or '\u2029' or '\u0085')
            {
                // A space that starts a line would make it preformatted.
                sb.Append(first ? "&#32;" : " ");
                first = false;
                continue;
            }

            if (char.IsControl(c))
                continue;
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    sb.Append(c).Append(value[++i]);
                }
                else
                {
                    sb.Append('\uFFFD');
                }

                first = false;
                continue;
            }

            if (first && c is '*' or '#' or ';' or '-' or '+' or ' ')
            {
                Reference(sb, c);
                first = false;
                continue;
            }

            first = false;
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'' or '[' or ']' or '{' or '}' or '|' or '!' or '=' or '~' or ':':
                    Reference(sb, c);
                    break;
                case '_' when (i > 0 && value[i - 1] == '_') || (i + 1 < value.Length && value[i + 1] == '_'):
                    Reference(sb, c);
                    break;
                case 'I' or 'R' or 'P' when IsMagicLinkWord(value, i):
                    Reference(sb, c);
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
    }

    private static void Reference(StringBuilder sb, char c) =>
        sb.Append("&#").Append(((int)c).ToString(CultureInfo.InvariantCulture)).Append(';');

    private static bool IsMagicLinkWord(ReadOnlySpan<char> value, int i)
    {
        if (i > 0 && char.IsLetterOrDigit(value[i - 1]))
            return false;
        var rest = value[i..];
        return rest.StartsWith("ISBN", StringComparison.Ordinal) || rest.StartsWith("RFC", StringComparison.Ordinal) ||
               rest.StartsWith("PMID", StringComparison.Ordinal);
    }

    /// <summary>
    /// Why a page title cannot be used as a link target or page name, or null when it can. Mirrors the
    /// characters MediaWiki refuses in titles, plus signatures and URL escapes it refuses too.
    /// </summary>
    public static string? TitleProblem(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
            return "the title is empty";
        foreach (var c in title)
        {
            if (c is '#' or '<' or '>' or '[' or ']' or '|' or '{' or '}')
                return $"the title '{Shorten(title)}' contains '{c}', which page titles cannot hold";
            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFFFD')
                return $"the title '{Shorten(title)}' contains a line break or control character";
        }

        if (title.Contains("~~~", StringComparison.Ordinal))
            return $"the title '{Shorten(title)}' contains '~~~', which page titles cannot hold";
        for (var i = 0; i + 2 < title.Length; i++)
        {
            if (title[i] == '%' && char.IsAsciiHexDigit(title[i + 1]) && char.IsAsciiHexDigit(title[i + 2]))
                return $"the title '{Shorten(title)}' contains a URL escape ('{title.AsSpan(i, 3)}')";
        }

        if (Encoding.UTF8.GetByteCount(title) > 255)
            return $"the title '{Shorten(title)}' is longer than 255 bytes";
        return null;
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : string.Concat(s.AsSpan(0, 77), "...");

    /// <summary>
    /// A valid title written as a link target. MediaWiki decodes character references in titles
    /// (Title::newFromText), so the target names the same page while holding no quote, equals sign, magic
    /// link word or second colon the parser could act on if it ever showed the link as plain text.
    /// '_' becomes a space, which is the same title.
    /// </summary>
    internal static string LinkTarget(string title)
    {
        var t = title.Trim();
        var sb = new StringBuilder(t.Length + 16);
        var colons = 0;
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            switch (c)
            {
                case '_': sb.Append(' '); break;
                case '&': sb.Append("&amp;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'' or '=' or '!' or '~' or '*' or ';':
                    Reference(sb, c);
                    break;
                case '-' when t.AsSpan(i).StartsWith("----", StringComparison.Ordinal):
                    Reference(sb, c);
                    break;
                case ':' when colons++ > 0:
                    Reference(sb, c);
                    break;
                case 'I' or 'R' or 'P' when IsMagicLinkWord(t, i):
                    Reference(sb, c);
                    break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// An http(s) URL written so the wiki sees one external link target and nothing else: characters that
    /// end a link or start markup are percent-encoded. Null when the text is not an absolute http(s) URL.
    /// </summary>
    public static string? SafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
            return null;
        url = url.Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) ||
            string.IsNullOrEmpty(uri.Host))
            return null;
        var sb = new StringBuilder(url.Length + 8);
        for (var i = 0; i < url.Length; i++)
        {
            var c = url[i];
            if (c <= ' ' || c >= '\u007f' || c is '[' or ']' or '<' or '>' or '"' or '\'' or '{' or '}' or '|' or '~' or '!' or '\\' or '^' or '`' ||
                (c == '_' && ((i > 0 && url[i - 1] == '_') || (i + 1 < url.Length && url[i + 1] == '_'))))
            {
                if (c >= '\u007f')
                {
                    foreach (var b in Encoding.UTF8.GetBytes(url[i].ToString()))
                        sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                    continue;
                }

                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else if (c == '&')
            {
                sb.Append("&amp;");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
