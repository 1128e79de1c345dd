namespace WikiSync.Wiki;

/// <summary>
/// MediaWiki keeps at most 500 characters of an edit summary (CommentStore::COMMENT_CHARACTER_LIMIT, counted
/// with mb_strlen: code points, not UTF-16 units or bytes) and cuts the rest itself. Every summary WikiSync
/// sends is cut here, so the wiki keeps exactly what we send.
/// </summary>
public static class EditSummary
{
    public const int MaxLength = 500;

    private const string Ellipsis = "…";

    /// <summary>
    /// <paramref name="summary"/> followed by <paramref name="tail"/> within <paramref name="maxLength"/> code points:
    /// when too long, the summary is cut and ends in "…" and the tail (e.g. " (nick)") is kept whole. A surrogate
    /// pair is never split.
    /// </summary>
    public static string Truncate(string summary, string tail = "", int maxLength = MaxLength)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(tail);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var tailLength = CodePoints(tail);
        if (CodePoints(summary) + tailLength <= maxLength)
            return summary + tail;
        if (tailLength >= maxLength)
            return Truncate(summary + tail, "", maxLength);
        return Cut(summary, maxLength - tailLength - 1) + Ellipsis + tail;
    }

    /// <summary>The length MediaWiki measures: code points.</summary>
    public static int CodePoints(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
            count++;
        return count;
    }

    private static string Cut(string text, int codePoints)
    {
        var i = 0;
        for (var n = 0; n < codePoints && i < text.Length; n++)
            i += char.IsSurrogatePair(text, i) ? 2 : 1;
        return text[..i].TrimEnd();
    }
}
