using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;
using WikiSync.Rendering;

namespace WikiSync.Sync;

/// <summary>
/// Stand-in until the Rendering room's TemplateSet is wired: parses <c>*.sbn</c> once, no escaping.
/// Only for tests and bootstrapping; production uses the escaping TemplateSet.
/// </summary>
public sealed class PlainScribanTemplates : ISectionTemplates
{
    private readonly Dictionary<string, Template> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _problems = new(StringComparer.Ordinal);

    public PlainScribanTemplates(string directory)
    {
        if (!Directory.Exists(directory))
        {
            _problems["(templates)"] = $"{directory}: the templates folder does not exist";
            return;
        }
        foreach (var file in Directory.EnumerateFiles(directory, "*.sbn"))
            Add(Path.GetFileNameWithoutExtension(file), File.ReadAllText(file), file);
    }

    public PlainScribanTemplates(IReadOnlyDictionary<string, string> templates)
    {
        ArgumentNullException.ThrowIfNull(templates);
        foreach (var (name, text) in templates)
            Add(name, text, name + ".sbn");
    }

    public IReadOnlyList<string> Problems => _problems.Values.ToList();

    public bool Exists(string name) => _templates.ContainsKey(name) || _problems.ContainsKey(name);

    public string? ProblemOf(string name) =>
        _problems.TryGetValue(name, out var p) ? p : _templates.ContainsKey(name) ? null : $"template \"{name}\" does not exist";

    public string Render(string name, RenderContext context) =>
        _templates.TryGetValue(name, out var template)
            ? Run(template, context)
            : throw new TemplateRenderException(ProblemOf(name)!);

    public string RenderTitle(string pattern, RenderContext context)
    {
        var template = Template.Parse(pattern);
        if (template.HasErrors)
            throw new TemplateRenderException($"page pattern \"{pattern}\": {template.Messages[0].Message}");
        return Run(template, context).Trim().ReplaceLineEndings(" ");
    }

    private void Add(string name, string text, string path)
    {
        var template = Template.Parse(text, path);
        if (template.HasErrors)
        {
            var m = template.Messages[0];
            _problems[name] = $"{path}:{m.Span.Start.Line + 1}:{m.Span.Start.Column + 1}: {m.Message}";
        }
        else
        {
            _templates[name] = template;
        }
    }

    private static string Run(Template template, RenderContext context)
    {
        var globals = new ScriptObject();
        globals.Import(context, renamer: StandardMemberRenamer.Default);
        var scriptContext = new TemplateContext { StrictVariables = true, MemberRenamer = StandardMemberRenamer.Default };
        scriptContext.PushGlobal(globals);
        try
        {
            return template.Render(scriptContext);
        }
        catch (ScriptRuntimeException e)
        {
            throw new TemplateRenderException($"{e.Span.FileName}:{e.Span.Start.Line + 1}:{e.Span.Start.Column + 1}: {e.OriginalMessage}", e);
        }
    }
}
