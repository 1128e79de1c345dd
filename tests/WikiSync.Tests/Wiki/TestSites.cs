using Microsoft.Extensions.Logging;
using WikiSync.Tests.Support;
using WikiSync.Wiki;

namespace WikiSync.Tests.Wiki;

internal static class TestSites
{
    public static readonly Uri Api = new("http://wiki.test/w/api.php");

    public static WikiSite Create(
        FakeWikiHandler handler, TimeProvider? time = null, ILogger<WikiSite>? logger = null, int maxRetries = 3,
        string user = "WikiSyncBot@wikisync", TimeSpan? requestTimeout = null) =>
        new(handler, new WikiSiteOptions
        {
            ApiUrl = Api,
            User = user,
            Password = handler.Password,
            Contact = "ops@example.org",
            MaxRetries = maxRetries,
            RequestTimeout = requestTimeout ?? TimeSpan.FromHours(1),
        }, logger, time ?? new ImmediateTimeProvider());

    public static WikiPage Existing(string title, string text = "old text") =>
        new(title, true, text, 7, "2024-05-01T09:00:00Z", "2024-05-01T09:30:00Z");

    public static WikiPage Missing(string title) => WikiPage.Missing(title, "2024-05-01T09:30:00Z");

    public static EditRequest Edit(string title, string text = "new text") => new(title, text, "WikiSync: update", Existing(title));
}
