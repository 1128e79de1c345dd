using WikiSync.AdminLog;
using WikiSync.Configuration;
using WikiSync.Hosting;
using WikiSync.Wiki;

namespace WikiSync.Tests.Wiki;

public sealed class WikiUrlsTests
{
    [Theory]
    [InlineData("https://wiki.example.org/w/api.php", "https://wiki.example.org/w/index.php")]
    [InlineData("http://127.0.0.1:8080/api.php", "http://127.0.0.1:8080/index.php")]
    [InlineData("https://wiki.example.org/w/", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Index_php_is_found_beside_api_php(string? api, string? index) => WikiUrls.IndexPhp(api).ShouldBe(index);

    [Theory]
    [InlineData("https://wiki.example.org/w/api.php")]
    [InlineData("https://wiki.example.org/w/")]
    [InlineData(null)]
    public void The_status_page_and_the_sal_links_use_the_same_index_php(string? api)
    {
        var settings = new WikiSyncSettings { Wiki = new WikiSettings { Api = api } };

        var run = new RunSettings { WikiApi = api }.WikiIndex ?? "";
        var sal = ServerAdminLogSettings.From(settings).WikiIndexUrl;

        sal.ShouldBe(run);
    }
}
