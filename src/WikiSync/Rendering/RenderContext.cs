using WikiSync.Model;

namespace WikiSync.Rendering;

/// <summary>
/// Everything a template can see (documented in templates/README.md). <see cref="Project"/> is null
/// for a page about all projects (the index); <see cref="Entries"/> are the SAL entries of the page.
/// </summary>
public sealed record RenderContext(
    Project? Project,
    IReadOnlyList<Project> Projects,
    IReadOnlyList<LogEntry> Entries,
    DateTimeOffset Now,
    string PageTitle,
    IReadOnlyDictionary<string, string> Parameters);
