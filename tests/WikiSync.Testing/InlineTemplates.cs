using WikiSync.Rendering;
using WikiSync.Sync;

namespace WikiSync.Testing;

/// <summary>Templates from texts instead of a folder; each is named <c>NAME.sbn</c> in messages, as a file would be.</summary>
public static class InlineTemplates
{
    public static TemplateSet Set(IEnumerable<(string Name, string Text)> templates)
    {
        ArgumentNullException.ThrowIfNull(templates);
        return TemplateSet.FromSources("", templates.Select(t => (t.Name, t.Name + ".sbn", t.Text)));
    }

    public static TemplateSetTemplates Sections(IReadOnlyDictionary<string, string> templates) =>
        new(Set(templates.Select(t => (t.Key, t.Value))));
}
