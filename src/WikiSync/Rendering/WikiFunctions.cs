using System.Collections;
using System.Globalization;
using System.Text;

namespace WikiSync.Rendering;

/// <summary>
/// The <c>wiki</c> object of every template (documented in templates/README.md). Each function returns
/// <see cref="RawWikitext"/>: markup it builds on purpose, with every untrusted part escaped.
/// </summary>
public static class WikiFunctions
{
    /// <summary><c>wiki.raw x</c>: writes x as wikitext, unescaped. Only for text the template itself trusts.</summary>
    public static RawWikitext Raw(object? value) => new(Text(value));

    /// <summary><c>wiki.escape x</c>: the default escaping, as a value (for captured or concatenated text).</summary>
    public static RawWikitext Escape(object? value) => new(WikiEscape.Escape(Text(value)));

    /// <summary><c>wiki.cell x</c>: safe inside a table cell; a list is joined with ", "; nothing gives an empty cell.</summary>
    public static RawWikitext Cell(object? value)
    {
        if (value is string or not IEnumerable)
            return new(WikiEscape.Escape(Text(value)));

        // string.Join(", ", items → text → non-empty → escaped), without an enumerator chain per cell.
        var joined = new CellJoiner();
        if (value is IList list)
        {
            for (var i = 0; i < list.Count; i++)
                joined.Add(Text(list[i]));
        }
        else
        {
            foreach (var item in (IEnumerable)value)
                joined.Add(Text(item));
        }

        return new(joined.ToString());
    }

    /// <summary>Joins escaped non-empty parts with ", "; one or two parts (the usual puppet roles) need no builder.</summary>
    private struct CellJoiner
    {
        private string? _first;
        private string? _second;
        private StringBuilder? _more;

        public void Add(string text)
        {
            if (text.Length == 0)
                return;
            var escaped = WikiEscape.Escape(text);
            if (_first is null)
                _first = escaped;
            else if (_second is null)
                _second = escaped;
            else
                (_more ??= new StringBuilder().Append(_first).Append(", ").Append(_second)).Append(", ").Append(escaped);
        }

        public override readonly string ToString() =>
            _more?.ToString() ?? (_second is null ? _first ?? "" : string.Concat(_first, ", ", _second));
    }

    /// <summary>
    /// <c>wiki.link title text</c>: <c>[[:Title|text]]</c>. The leading colon keeps a Category:, File: or
    /// language-prefixed title a plain link. An invalid title comes out as plain escaped text, never as markup.
    /// </summary>
    public static RawWikitext Link(object? title, object? text = null)
    {
        var t = Text(title);
        var label = text is null ? t : Text(text);
        if (WikiEscape.TitleProblem(t) is not null)
            return Escape(label);
        return new($"[[:{WikiEscape.LinkTarget(t)}|{Label(label)}]]");
    }

    /// <summary><c>wiki.user name text</c>: <c>[[User:Name|Name]]</c>; a name that is no valid user name is plain text.</summary>
    public static RawWikitext User(object? name, object? text = null)
    {
        var n = Text(name).Trim();
        var label = text is null ? n : Text(text);
        if (WikiEscape.TitleProblem(n) is not null || n.Contains(':', StringComparison.Ordinal) || n.Contains('/', StringComparison.Ordinal))
            return Escape(label);
        return new($"[[User:{WikiEscape.LinkTarget(n)}|{Label(label)}]]");
    }

    /// <summary><c>wiki.extlink url text</c>: <c>[url text]</c> for http and https only; anything else is plain text.</summary>
    public static RawWikitext Extlink(object? url, object? text = null)
    {
        var u = Text(url);
        var label = text is null ? u : Text(text);
        return WikiEscape.SafeUrl(u) is { } safe ? new($"[{safe} {Label(label)}]") : Escape(label);
    }

    /// <summary><c>wiki.date d format</c>: the UTC date, <c>yyyy-MM-dd</c> unless a .NET format is given.</summary>
    public static RawWikitext Date(object? value, string format = "yyyy-MM-dd") => Format(value, format);

    /// <summary><c>wiki.time d format</c>: the UTC time of day, <c>HH:mm</c> unless a .NET format is given.</summary>
    public static RawWikitext Time(object? value, string format = "HH:mm") => Format(value, format);

    /// <summary><c>wiki.datetime d</c>: <c>yyyy-MM-dd HH:mm</c> UTC.</summary>
    public static RawWikitext Datetime(object? value) => Format(value, MinuteFormat);

    /// <summary><c>wiki.anchor id</c>: an invisible <c>&lt;span id="id"&gt;&lt;/span&gt;</c> to link to or look for.</summary>
    public static RawWikitext Anchor(object? id)
    {
        var s = Text(id);
        if (s.Length == 0 || !s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new ArgumentException($"'{s}' cannot be an anchor id: use letters, digits, '-', '_' and '.'.", nameof(id));
        return new($"<span id=\"{s}\"></span>");
    }

    /// <summary><c>wiki.count x</c>: the number of items in a list (0 for nothing).</summary>
    public static int Count(object? value) => value switch
    {
        null => 0,
        string s => s.Length,
        ICollection c => c.Count,
        IEnumerable e => e.Cast<object?>().Count(),
        _ => 1,
    };

    private const string MinuteFormat = "yyyy-MM-dd HH:mm";

    internal static string FormatDateTime(DateTimeOffset d) => FormatMinutes(d.UtcDateTime);

    // ToString("yyyy-MM-dd HH:mm", InvariantCulture) written digit by digit: the general formatter parses
    // the pattern on every call, and a table has a date in every row (issue 6).
    private static string FormatMinutes(DateTime utc) => string.Create(16, utc, static (chars, t) =>
    {
        Digits(chars[..4], t.Year);
        chars[4] = '-';
        Digits(chars.Slice(5, 2), t.Month);
        chars[7] = '-';
        Digits(chars.Slice(8, 2), t.Day);
        chars[10] = ' ';
        Digits(chars.Slice(11, 2), t.Hour);
        chars[13] = ':';
        Digits(chars.Slice(14, 2), t.Minute);
    });

    private static void Digits(Span<char> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--, value /= 10)
            into[i] = (char)('0' + (value % 10));
    }

    private static RawWikitext Format(object? value, string format)
    {
        if (ToDate(value) is not { } d)
            return new("");
        if (format == MinuteFormat)
            return new(FormatMinutes(d.UtcDateTime));
        // The format comes from a template or job file (trusted); the digits cannot carry markup.
        return new(d.ToUniversalTime().ToString(format, CultureInfo.InvariantCulture));
    }

    internal static DateTimeOffset? ToDate(object? value) => value switch
    {
        null => null,
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : d),
        string s when s.Length == 0 => null,
        string s => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
            ? d
            : throw new ArgumentException($"'{s}' is not a date.", nameof(value)),
        _ => throw new ArgumentException($"A {value.GetType().Name} is not a date.", nameof(value)),
    };

    /// <summary>A link label: escaped, and never empty (an empty label would show the target or vanish).</summary>
    private static string Label(string label)
    {
        var escaped = WikiEscape.Escape(label);
        return escaped.Length == 0 ? "&#8203;" : escaped;
    }

    internal static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        RawWikitext r => r.Value,
        DateTimeOffset d => FormatDateTime(d),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
