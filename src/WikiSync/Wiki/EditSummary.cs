namespace WikiSync.Wiki;

/// <summary>MediaWiki keeps at most 500 characters (code points) of an edit summary and cuts the rest itself.</summary>
public static class EditSummary
{
    public const int MaxLength = 500;

    /// <summary>
    /// Cuts <paramref name="summary"/> to <paramref name="maxLength"/> code points, ending in "…" when cut,
    /// never splitting a surrogate pair, so the wiki keeps exactly what we send.
    /// </summary>
    public static string Truncate(string summary, int maxLength = MaxLength)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var codePoints = 0;
        for (var i = 0; i < summary.Length; i += char.IsSurrogatePair(summary, i) ? 2 : 1)
        {
            if (++codePoints > maxLength)
                return Cut(summary, maxLength - 1) + "…";
        }
        return summary;
    }

    private static string Cut(string text, int codePoints)
    {
        var i = 0;
        for (var n = 0; n < codePoints && i < text.Length; n++)
            i += char.IsSurrogatePair(text, i) ? 2 : 1;
        return text[..i].TrimEnd();
    }
}
