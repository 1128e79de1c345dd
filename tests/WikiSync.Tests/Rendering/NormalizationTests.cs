using System.Text;
using WikiSync.Testing;
using WikiSync.Model;
using WikiSync.Rendering;

namespace WikiSync.Tests.Rendering;

public sealed class NormalizationTests
{
    private static string Render(string template, string value)
    {
        var project = new Project(value, value, [], []);
        var context = new RenderContext(project, [project], [], new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), "Nova Resource:Test",
            new Dictionary<string, string>());
        return InlineTemplates.Set([("t", template)]).Get("t").Render(context);
    }

    [Fact]
    public void A_value_in_decomposed_form_is_rendered_in_nfc_as_the_wiki_stores_it()
    {
        var text = Render("{{ project.description }}", "Cafe\u0301 r\u00E9sum\u00E9");

        text.ShouldBe("Caf\u00E9 r\u00E9sum\u00E9");
        text.IsNormalized(NormalizationForm.FormC).ShouldBeTrue();
    }

    [Fact]
    public void A_greek_question_mark_at_a_lines_start_is_escaped_as_the_semicolon_it_becomes()
    {
        // U+037E is ';' in NFC: unescaped it would open a definition list once the wiki normalized the page.
        var text = Render("{{ project.description }}", "\u037E not a list");

        text.ShouldNotStartWith(";");
        text.ShouldNotContain("\u037E");
        text.ShouldEndWith(" not a list");
    }

    [Fact]
    public void A_combining_mark_after_template_text_composes_with_it()
    {
        Render("e{{ project.description }}", "\u0301").ShouldBe("\u00E9");
    }

    [Fact]
    public void A_title_is_rendered_in_nfc()
    {
        var project = new Project("cafe\u0301", "", [], []);
        var context = new RenderContext(project, [project], [], DateTimeOffset.UnixEpoch, "", new Dictionary<string, string>());

        InlineTemplates.Set([]).RenderTitle("Nova Resource:{{ project.name }}", context).ShouldBe("Nova Resource:caf\u00E9");
    }
}
