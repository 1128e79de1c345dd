using System.Xml.Linq;
using WikiSync.AdminLog;
using WikiSync.Hosting;
using WikiSync.Model;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Hosting;

public sealed class SalAtomFeedTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public void Feed_is_atom_with_one_entry_per_log_entry_and_control_characters_made_safe()
    {
        var entries = new[]
        {
            new LogEntry(7, "tools", "alice", "restarted <nginx> & \u0003colours", "#ops", new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.Zero)),
            new LogEntry(6, "tools", "bob", "deployed 🚀", "#ops", new DateTimeOffset(2026, 3, 4, 9, 0, 0, TimeSpan.Zero)),
        };
        var xml = SalAtomFeed.Render("SAL of tools", "urn:wikisync:sal:project:tools", "http://127.0.0.1/sal/tools.atom", "http://wiki/SAL",
            entries, e => $"http://wiki/SAL#{e.Anchor}", e => $"http://127.0.0.1/sal/entry/{e.Id}");

        var feed = XDocument.Parse(xml).Root!;
        feed.Name.ShouldBe(Atom + "feed");
        feed.Element(Atom + "updated")!.Value.ShouldBe("2026-03-05T10:00:00Z");
        var items = feed.Elements(Atom + "entry").ToList();
        items.Count.ShouldBe(2);
        items[0].Element(Atom + "id")!.Value.ShouldBe("urn:wikisync:sal:entry:7");
        items[0].Element(Atom + "content")!.Value.ShouldBe("restarted <nginx> & \uFFFDcolours");
        items[0].Element(Atom + "author")!.Element(Atom + "name")!.Value.ShouldBe("alice");
        items[1].Element(Atom + "content")!.Value.ShouldBe("deployed 🚀");
        items[0].Elements(Atom + "link").First(l => (string?)l.Attribute("rel") == "alternate").Attribute("href")!.Value.ShouldBe("http://wiki/SAL#sal-7");
    }

    [Fact]
    public void Old_entries_link_to_their_month_archive_recent_ones_to_the_full_log()
    {
        var links = SalTestData.Pages;
        var now = new DateTimeOffset(2026, 3, 15, 0, 0, 0, TimeSpan.Zero);
        SalSearchEndpoints.WikiAnchorUrl(links, new LogEntry(1, "tools", "a", "m", "c", new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)), now)
            .ShouldBe("http://wiki.test/index.php?title=Nova_Resource:tools/SAL#sal-1");
        SalSearchEndpoints.WikiAnchorUrl(links, new LogEntry(2, "tools", "a", "m", "c", new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero)), now)
            .ShouldBe("http://wiki.test/index.php?title=Nova_Resource:tools/SAL/2026-01#sal-2");
    }
}
