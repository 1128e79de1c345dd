using WikiSync.Wiki;

namespace WikiSync.Tests.Wiki;

public sealed class WikiTitleTests
{
    [Theory]
    [InlineData("Nova Resource:bots", "Nova Resource:Bots")]
    [InlineData("Nova_Resource:my_project", "Nova Resource:My project")]
    [InlineData("  Nova Resource :  a \u00A0\u3000 b  ", "Nova Resource:A b")]
    [InlineData("Nova Resource:\u200Ebots\u202E", "Nova Resource:Bots")]
    [InlineData("Nova Resource:Cafe\u0301", "Nova Resource:Caf\u00E9")]
    [InlineData("main page", "Main page")]
    public void The_wikis_form_is_what_mediawiki_stores(string title, string stored)
    {
        WikiTitle.Normalize(title).ShouldBe(stored);
    }

    [Fact]
    public void Invisible_format_characters_mediawiki_keeps_are_still_in_its_form_but_not_in_the_same_page_key()
    {
        WikiTitle.Normalize("Nova Resource:bo\u200Bts").ShouldBe("Nova Resource:Bo\u200Bts");
        WikiTitle.SamePageKey("Nova Resource:bo\u200Bts").ShouldBe(WikiTitle.SamePageKey("Nova Resource:bots"));
        WikiTitle.SamePageKey("Nova Resource:bo\u00ADts").ShouldBe(WikiTitle.SamePageKey("Nova Resource:bots"));
        WikiTitle.SamePageKey("nova resource:Bots").ShouldBe(WikiTitle.SamePageKey("Nova Resource:bots"));
        WikiTitle.SamePageKey("Nova Resource:bots-2").ShouldNotBe(WikiTitle.SamePageKey("Nova Resource:bots"));
    }
}
