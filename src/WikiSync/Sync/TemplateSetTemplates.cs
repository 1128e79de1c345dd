using WikiSync.Rendering;

namespace WikiSync.Sync;

/// <summary>The pipeline's view of the Rendering room's <see cref="TemplateSet"/> (escaping by default).</summary>
public sealed class TemplateSetTemplates : ISectionTemplates
{
    private readonly TemplateSet? _set;
    private readonly string? _folderProblem;

    public TemplateSetTemplates(TemplateSet set) => _set = set;

    private TemplateSetTemplates(string folderProblem) => _folderProblem = folderProblem;

    /// <summary>Loads a templates folder; a missing folder becomes a problem instead of an exception.</summary>
    public static TemplateSetTemplates Load(string directory)
    {
        try
        {
            return new TemplateSetTemplates(TemplateSet.Load(directory));
        }
        catch (DirectoryNotFoundException)
        {
            return new TemplateSetTemplates($"{Path.GetFullPath(directory)}: the templates folder does not exist");
        }
    }

    public IReadOnlyList<string> Problems =>
        _set is null ? [_folderProblem!] : _set.Problems.Select(p => p.ToString()).ToList();

    public bool Exists(string name) => _set is not null && (_set.Find(name) is not null || _set.ProblemsOf(name).Count > 0);

    public string? ProblemOf(string name)
    {
        if (_set is null)
            return _folderProblem;
        if (_set.Find(name) is not null)
            return null;
        return _set.ProblemsOf(name) is [var first, ..]
            ? first.ToString()
            : $"template \"{name}\" does not exist (no {Path.Combine(_set.Directory, name + ".sbn")})";
    }

    public string Render(string name, RenderContext context)
    {
        try
        {
            return _set is null ? throw new TemplateRenderException(_folderProblem!) : _set.Get(name).Render(context);
        }
        catch (TemplateException e)
        {
            throw new TemplateRenderException(e.Message, e);
        }
    }

    public string? InputsOf(string name, RenderContext context) => _set?.Find(name)?.InputsOf(context);

    public string RenderTitle(string pattern, RenderContext context, string source)
    {
        try
        {
            return _set is null ? throw new TemplateRenderException(_folderProblem!) : _set.RenderTitle(pattern, context, source);
        }
        catch (TemplateException e)
        {
            throw new TemplateRenderException(e.Message, e);
        }
    }
}
