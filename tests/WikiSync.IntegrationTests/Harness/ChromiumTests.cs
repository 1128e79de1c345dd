using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Harness;

/// <summary>Playwright's .NET driver works here with Debian's chromium and no downloaded browser.</summary>
public sealed class ChromiumTests
{
    [Fact]
    public async Task Debian_chromium_renders_a_page_through_the_playwright_driver()
    {
        Chromium.IsInstalled.ShouldBeTrue("scripts/install-deps.sh installs chromium");
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        await page.SetContentAsync("<h2 id='x'>Instances</h2><table><tr><td>web-1</td></tr></table>");
        (await page.TextContentAsync("#x")).ShouldBe("Instances");
        (await page.Locator("td").CountAsync()).ShouldBe(1);
        File.Exists(await Chromium.ScreenshotAsync(page, "harness-chromium")).ShouldBeTrue();
    }
}
