namespace WikiSync.Rendering;

/// <summary>
/// Wikitext a helper built on purpose (a link, a date, an anchor) or a template asked for by name with
/// <c>wiki.raw</c>; the renderer writes it as is, while every other value is escaped.
/// </summary>
public sealed record RawWikitext(string Value)
{
    public override string ToString() => Value;
}
