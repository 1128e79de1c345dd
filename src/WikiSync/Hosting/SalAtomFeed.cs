using System.Globalization;
using System.Text;
using System.Xml;
using WikiSync.Model;

namespace WikiSync.Hosting;

/// <summary>
/// Atom 1.0 (RFC 4287) of SAL entries: one <c>entry</c> per log entry, its id a URN that stays the same on
/// every node and host name, its alternate link the entry's anchor on the wiki.
/// </summary>
public static class SalAtomFeed
{
    public const string ContentType = "application/atom+xml; charset=utf-8";

    private const string Atom = "http://www.w3.org/2005/Atom";

    public static string Render(string title, string feedId, string selfUrl, string alternateUrl, IReadOnlyList<LogEntry> entries, Func<LogEntry, string> wikiUrl, Func<LogEntry, string> permalink)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var text = new StringBuilder(4096 + (entries.Count * 512));
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8, OmitXmlDeclaration = false }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", Atom);
            xml.WriteElementString("id", Atom, feedId);
            xml.WriteElementString("title", Atom, Clean(title));
            xml.WriteElementString("updated", Atom, Stamp(entries.Count > 0 ? entries.Max(e => e.ReceivedUtc) : DateTimeOffset.UnixEpoch));
            Link(xml, "self", selfUrl, "application/atom+xml");
            Link(xml, "alternate", alternateUrl, "text/html");
            xml.WriteStartElement("generator", Atom);
            xml.WriteString("WikiSync");
            xml.WriteEndElement();
            foreach (var entry in entries)
            {
                xml.WriteStartElement("entry", Atom);
                xml.WriteElementString("id", Atom, $"urn:wikisync:sal:entry:{entry.Id.ToString(CultureInfo.InvariantCulture)}");
                xml.WriteElementString("title", Atom, Clean($"{entry.Project}: {entry.Author}: {Shorten(entry.Message, 120)}"));
                xml.WriteElementString("updated", Atom, Stamp(entry.ReceivedUtc));
                xml.WriteElementString("published", Atom, Stamp(entry.ReceivedUtc));
                xml.WriteStartElement("author", Atom);
                xml.WriteElementString("name", Atom, Clean(entry.Author));
                xml.WriteEndElement();
                xml.WriteStartElement("category", Atom);
                xml.WriteAttributeString("term", Clean(entry.Project));
                xml.WriteEndElement();
                Link(xml, "alternate", wikiUrl(entry), "text/html");
                Link(xml, "related", permalink(entry), "text/html");
                xml.WriteStartElement("content", Atom);
                xml.WriteAttributeString("type", "text");
                xml.WriteString(Clean(entry.Message));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        // StringBuilder output says utf-16 in the declaration; the bytes go out as UTF-8.
        return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }

    private static void Link(XmlWriter xml, string rel, string href, string type)
    {
        xml.WriteStartElement("link", Atom);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static string Stamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    /// <summary>XML 1.0 cannot carry control characters (IRC colour codes reach messages): each becomes U+FFFD.</summary>
    private static string Clean(string text)
    {
        if (text.All(XmlConvert.IsXmlChar))
            return text;
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                clean.Append(text, i, 2);
                i++;
            }
            else
            {
                clean.Append(XmlConvert.IsXmlChar(text[i]) ? text[i] : '\uFFFD');
            }
        }

        return clean.ToString();
    }
}
