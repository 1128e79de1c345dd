namespace WikiSync.Rendering;

/// <summary>A template (or title pattern) that cannot be parsed or rendered, as <c>file:line:column: message</c>.</summary>
public sealed record TemplateProblem(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>Rendering failed; <see cref="Problem"/> says where and why.</summary>
public sealed class TemplateException : Exception
{
    public TemplateException(TemplateProblem problem, Exception? inner = null) : base(problem.ToString(), inner) => Problem = problem;

    public TemplateException() : this(new TemplateProblem("", 0, 0, "template error")) { }

    public TemplateException(string message) : this(new TemplateProblem("", 0, 0, message)) { }

    public TemplateException(string message, Exception inner) : this(new TemplateProblem("", 0, 0, message), inner) { }

    public TemplateProblem Problem { get; }
}
