using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace WikiSync.Rendering;

/// <summary>
/// Every <c>*.sbn</c> template of a folder, parsed once with its file path. A template with syntax errors is
/// kept out of the set and its errors are in <see cref="Problems"/> as <c>file:line:column: message</c>, so
/// the good templates still work and <c>check</c> can list every broken one.
/// </summary>
public sealed partial class TemplateSet
{
    private readonly Dictionary<string, CompiledTemplate> _templates;
    private readonly Dictionary<string, IReadOnlyList<TemplateProblem>> _problems;
    private readonly ConcurrentDictionary<(string Pattern, string Source), Template> _titles = new();

    // Most jobs name their page "text{{ project.name }}text", which needs no interpreter: a pass renders a
    // title per job and project, a third of planning a 1,000-project refresh (issue 6).
    private readonly ConcurrentDictionary<string, (string Prefix, string Suffix)?> _projectNameTitles = new(StringComparer.Ordinal);

    private TemplateSet(string directory, Dictionary<string, CompiledTemplate> templates, Dictionary<string, IReadOnlyList<TemplateProblem>> problems)
    {
        Directory = directory;
        _templates = templates;
        _problems = problems;
    }

    /// <summary>The folder the templates came from.</summary>
    public string Directory { get; }

    /// <summary>The templates that parsed, by name (file name without <c>.sbn</c>).</summary>
    public IReadOnlyCollection<CompiledTemplate> Templates => _templates.Values;

    /// <summary>Every syntax error of every template, in file order.</summary>
    public IReadOnlyList<TemplateProblem> Problems => [.. _problems.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value)];

    /// <summary>Parses every <c>*.sbn</c> in the folder (not its subfolders).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static TemplateSet Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
            throw new DirectoryNotFoundException($"Template folder '{full}' does not exist.");
        var files = System.IO.Directory.EnumerateFiles(full, "*.sbn").Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileNameWithoutExtension(path), path, File.ReadAllText(path)));
        return FromSources(full, files);
    }

    /// <summary>Parses templates given as (name, path for messages, text); <paramref name="directory"/> is where they are said to live.</summary>
    internal static TemplateSet FromSources(string directory, IEnumerable<(string Name, string Path, string Text)> sources)
    {
        var templates = new Dictionary<string, CompiledTemplate>(StringComparer.Ordinal);
        var problems = new Dictionary<string, IReadOnlyList<TemplateProblem>>(StringComparer.Ordinal);
        foreach (var (name, path, text) in sources)
        {
            var template = Template.Parse(text, path);
            if (template.HasErrors)
                problems[name] = [.. template.Messages.Where(m => m.Type == ParserMessageType.Error).Select(m => Problem(path, m.Span, m.Message))];
            else
                templates[name] = new CompiledTemplate(name, path, template, text);
        }

        return new TemplateSet(directory, templates, problems);
    }

    /// <summary>The template with this name, or null when there is none or it does not parse (see <see cref="ProblemsOf"/>).</summary>
    public CompiledTemplate? Find(string name) => _templates.GetValueOrDefault(name);

    /// <summary>The syntax errors of one template; empty when it parsed or does not exist.</summary>
    public IReadOnlyList<TemplateProblem> ProblemsOf(string name) => _problems.GetValueOrDefault(name) ?? [];

    /// <summary>The template with this name.</summary>
    /// <exception cref="TemplateException">It does not exist (the message names the folder) or does not parse.</exception>
    public CompiledTemplate Get(string name)
    {
        if (Find(name) is { } template)
            return template;
        if (_problems.TryGetValue(name, out var problems))
            throw new TemplateException(problems[0]);
        var file = Path.Combine(Directory, name + ".sbn");
        throw new TemplateException(new TemplateProblem(file, 0, 0, $"template '{name}' not found (no {file})"));
    }

    /// <summary>
    /// Renders a page-title pattern such as <c>Nova Resource:{{ project.name }}/SAL</c>. Nothing is escaped;
    /// the result is trimmed and must be a valid title. <paramref name="source"/> names where the pattern
    /// came from (a job file) in messages.
    /// </summary>
    /// <exception cref="TemplateException">The pattern does not parse or render, or the result is no valid title.</exception>
    public string RenderTitle(string pattern, RenderContext context, string source = "title pattern")
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(context);
        string title;
        if (context.Project is { } project && _projectNameTitles.GetOrAdd(pattern, ProjectNameTitle) is { } parts)
        {
            title = WikiEscape.Nfc(string.Concat(parts.Prefix, project.Name, parts.Suffix).Trim());
        }
        else
        {
            var template = _titles.GetOrAdd((pattern, source), key => Template.Parse(key.Pattern, key.Source));
            if (template.HasErrors)
            {
                var m = template.Messages.First(x => x.Type == ParserMessageType.Error);
                throw new TemplateException(Problem(source, m.Span, m.Message));
            }

            title = CompiledTemplate.RunPlain(template, source, context).Trim();
        }
        if (WikiEscape.TitleProblem(title) is { } problem)
            throw new TemplateException(new TemplateProblem(source, 1, 1, $"page title pattern '{pattern}' gives an invalid title: {problem}"));
        return title;
    }

    private static (string Prefix, string Suffix)? ProjectNameTitle(string pattern) =>
        ProjectNameOnly().Match(pattern) is { Success: true } m ? (m.Groups[1].Value, m.Groups[2].Value) : null;

    [GeneratedRegex(@"^([^{}]*)\{\{ *project\.name *\}\}([^{}]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ProjectNameOnly();

    internal static TemplateProblem Problem(string file, SourceSpan span, string message) =>
        new(file, span.Start.Line + 1, span.Start.Column + 1, message);
}

/// <summary>One parsed template. Thread-safe: each render gets its own context.</summary>
public sealed class CompiledTemplate
{
    private readonly Template _template;

    // What the renders depend on (null: not only on the model, so never taken from the cache) and the
    // template's own part of each fingerprint.
    private readonly TemplateReads? _reads;
    private readonly byte[] _textHash;

    internal CompiledTemplate(string name, string path, Template template, string text)
    {
        Name = name;
        Path = path;
        _template = template;
        _reads = TemplateAnalysis.ReadsOf(template);
        _textHash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The file name without <c>.sbn</c>, as jobs name it.</summary>
    public string Name { get; }

    /// <summary>The file the template came from.</summary>
    public string Path { get; }

    /// <summary>
    /// Renders the template; every value is escaped unless a <c>wiki.*</c> helper built it. Inputs rendered
    /// before in this process give the text they gave then (<see cref="RenderCache"/>); errors are never kept.
    /// </summary>
    /// <exception cref="TemplateException">A runtime error (unknown variable or member, bad helper argument) with file:line:column.</exception>
    public string Render(RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_reads is not { } reads)
            return Run(_template, Path, ref s_escaping, static () => new EscapingTemplateContext(), context);
        var fingerprint = RenderCache.Of(_textHash, reads, context);
        if (fingerprint is { } known && RenderCache.Find(known) is { } kept)
            return kept;
        var text = Run(_template, Path, ref s_escaping, static () => new EscapingTemplateContext(), context);
        if (fingerprint is { } rendered)
            RenderCache.Keep(rendered, text);
        return text;
    }

    /// <summary>
    /// The fingerprint of what a render in <paramref name="context"/> depends on (the build, this template's
    /// text, the parts of the context it reads), as hex; null when the render depends on more (a clock,
    /// random numbers) and so must be rendered to be known.
    /// </summary>
    public string? InputsOf(RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _reads is { } reads && RenderCache.Of(_textHash, reads, context) is { } fingerprint ? fingerprint.ToString() : null;
    }

    // One context per thread, reused: a context caches the member accessors Scriban builds by reflection
    // for each model type (Project, Instance...), and a new context per render rebuilt them every time
    // (issue 6: most of a 20-row table's render). The model's globals are pushed on top and popped after.
    [ThreadStatic] private static Scriban.TemplateContext? s_escaping;
    [ThreadStatic] private static Scriban.TemplateContext? s_plain;

    internal static string RunPlain(Template template, string path, RenderContext context) =>
        Run(template, path, ref s_plain, static () => new PlainTemplateContext(), context);

    private static string Run(Template template, string path, ref Scriban.TemplateContext? cached, Func<Scriban.TemplateContext> create, RenderContext context)
    {
        // Taken out while in use, so a render that re-enters (a helper rendering a title) gets its own.
        var scriban = cached ?? create();
        cached = null;
        var globals = Globals(context);
        scriban.PushGlobal(globals);
        // Comparisons (array.sort) follow the thread's culture: pages must not depend on the host's locale,
        // or two nodes with different locales would reorder each other's tables on every pass.
        var hostCulture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            // Template text and values joined may still compose (a base letter, then a combining mark).
            var text = WikiEscape.Nfc(template.Render(scriban));
            scriban.PopGlobal();
            cached = scriban;
            return text;
        }
        catch (ScriptRuntimeException e)
        {
            // The context is dropped: its output and scopes may hold what the failed render left.
            throw new TemplateException(TemplateSet.Problem(string.IsNullOrEmpty(e.Span.FileName) ? path : e.Span.FileName, e.Span, e.OriginalMessage), e);
        }
        finally
        {
            CultureInfo.CurrentCulture = hostCulture;
        }
    }

    private static ScriptObject Globals(RenderContext context)
    {
        var globals = new ScriptObject
        {
            ["project"] = context.Project,
            ["projects"] = context.Projects,
            ["entries"] = context.Entries,
            ["now"] = context.Now,
            ["page"] = new ScriptObject { ["title"] = context.PageTitle },
            ["parameters"] = new ParametersObject(context.Parameters),
            ["wiki"] = Helpers.Wiki,
            ["sal"] = Helpers.Sal,
        };
        return globals;
    }

    private static class Helpers
    {
        public static readonly ScriptObject Wiki = Build(typeof(WikiFunctions));
        public static readonly ScriptObject Sal = Build(typeof(SalFunctions));

        private static ScriptObject Build(Type type)
        {
            var o = new ScriptObject();
            o.Import(type);
            // Import calls each helper through MethodInfo.Invoke (about 0.6 µs a call, most of a table
            // row's cost in issue 6's benchmark). The same methods called through a compiled delegate keep
            // Scriban's parameter handling (names, defaults, conversions, errors at the argument).
            foreach (var method in type.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            {
                var name = StandardMemberRenamer.Default(method);
                if (o.TryGetValue(name, out var imported) && imported is DelegateCustomFunction f && f.Method == method)
                    o.SetValue(name, new CompiledHelper(method), readOnly: true);
            }

            o.IsReadOnly = true;
            return o;
        }
    }
}

/// <summary>The job's parameters: a missing one reads as null, so <c>parameters.days ?? 7</c> works.</summary>
internal sealed class ParametersObject : ScriptObject
{
    // autoImportStaticsFromThisType: false, or every render scans this type's statics by reflection.
    public ParametersObject(IReadOnlyDictionary<string, string> parameters)
        : base(parameters.Count, autoImportStaticsFromThisType: false)
    {
        foreach (var (key, value) in parameters)
            this[key] = value;
    }

    public override bool TryGetValue(Scriban.TemplateContext? context, SourceSpan span, string member, out object? value)
    {
        if (!base.TryGetValue(context, span, member, out value))
            value = null;
        return true;
    }
}
