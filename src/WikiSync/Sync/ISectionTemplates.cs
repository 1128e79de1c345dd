using WikiSync.Rendering;

namespace WikiSync.Sync;

/// <summary>
/// What the pipeline needs from the templates folder: which templates exist, which are broken, and
/// rendering a section or a page title. Backed by the Rendering room's TemplateSet.
/// </summary>
public interface ISectionTemplates
{
    /// <summary>Every template problem, <c>file:line:column: message</c>.</summary>
    IReadOnlyList<string> Problems { get; }

    /// <summary>Whether <c>NAME.sbn</c> exists (broken or not).</summary>
    bool Exists(string name);

    /// <summary>The problem of a broken template, null when it parsed.</summary>
    string? ProblemOf(string name);

    /// <summary>Renders a template; throws <see cref="TemplateRenderException"/> naming file:line:column.</summary>
    string Render(string name, RenderContext context);

    /// <summary>
    /// What a render of template <paramref name="name"/> in <paramref name="context"/> depends on, as a hash:
    /// the same hash, the same text. Null when only rendering can tell (the template reads a clock, or is missing).
    /// </summary>
    string? InputsOf(string name, RenderContext context);

    /// <summary>Renders a job's page title pattern (<paramref name="source"/> names the job file in errors).</summary>
    string RenderTitle(string pattern, RenderContext context, string source);
}

/// <summary>A template failed while rendering (e.g. a missing member); the message names file:line:column.</summary>
public sealed class TemplateRenderException : Exception
{
    public TemplateRenderException(string message) : base(message) { }

    public TemplateRenderException(string message, Exception inner) : base(message, inner) { }

    public TemplateRenderException() { }
}
