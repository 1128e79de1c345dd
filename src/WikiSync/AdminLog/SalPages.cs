using System.Text;
using WikiSync.Jobs;
using WikiSync.Model;
using WikiSync.Sync;

namespace WikiSync.AdminLog;

/// <summary>
/// The Server Admin Log's pages as the job files define them (the <c>source: sal</c> jobs), never as C#
/// writes them: renaming a SAL page is a change of its job file only. A project's log page — where a
/// <c>!log</c> reply points and what is published first — is the page of the per-project SAL job that is
/// not limited to recent days (<c>parameters.days</c>: the recent log on the project page is). The index
/// is the page of a <c>for_each: none</c> job (one page about all projects). <paramref name="wikiIndexUrl"/>
/// is the wiki's <c>index.php</c> (e.g. <c>https://wiki.example.org/w/index.php</c>).
/// </summary>
public sealed class SalPages
{
    private readonly string _wikiIndexUrl;
    private readonly ISectionTemplates _templates;
    private readonly TimeProvider _time;
    private readonly JobDefinition? _log;
    private readonly JobDefinition? _index;

    public SalPages(string wikiIndexUrl, JobCatalog jobs, ISectionTemplates templates, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        _wikiIndexUrl = wikiIndexUrl;
        _templates = templates;
        _time = time;
        var perProject = jobs.Jobs.Where(j => j.Source == JobSource.Sal && j.ForEach != ForEach.None).ToList();
        Jobs = [.. perProject.Select(j => j.Name)];
        _log = perProject.FirstOrDefault(j => j.ForEach == ForEach.Project && !j.Parameters.ContainsKey("days"))
            ?? perProject.FirstOrDefault(j => j.ForEach == ForEach.Project);
        UrgentJobs = _log is null ? [] : [_log.Name, .. perProject.Where(j => j.ForEach == ForEach.SalMonth).Select(j => j.Name)];
        _index = jobs.Jobs.FirstOrDefault(j => j.ForEach == ForEach.None);
    }

    /// <summary>
    /// The SAL jobs whose pages show a project's entries (its log, the recent log on its page, its archives):
    /// what a new entry re-renders. Pages about all projects keep their own schedule.
    /// </summary>
    public IReadOnlyList<string> Jobs { get; }

    /// <summary>
    /// The jobs of the log's record — the log page and its archive months (empty without a log page): published
    /// first, so an entry never waits behind the other pages, and an entry is published once one of them shows it.
    /// An archive page is only planned when a month needs it, so a new entry's first pass costs the log page alone.
    /// </summary>
    public IReadOnlyList<string> UrgentJobs { get; }

    /// <summary>The title of the project's log page, or null when no job file defines one (or its pattern fails).</summary>
    public string? LogTitle(Project project) => _log is null ? null : Title(_log, project);

    public string? LogUrl(Project project) => LogTitle(project) is { } title ? PageUrl(title) : null;

    public string? IndexUrl => _index is null ? null : Title(_index, null) is { } title ? PageUrl(title) : null;

    public string PageUrl(string title)
    {
        var builder = new StringBuilder(_wikiIndexUrl).Append("?title=");
        foreach (var rune in title.Replace(' ', '_').EnumerateRunes())
        {
            var s = rune.ToString();
            // Keep the characters MediaWiki shows in its own links readable; escape the rest.
            builder.Append(rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || "_-.:/()!,~*'".Contains((char)rune.Value, StringComparison.Ordinal))
                ? s
                : Uri.EscapeDataString(s));
        }

        return builder.ToString();
    }

    private string? Title(JobDefinition job, Project? project)
    {
        try
        {
            var context = new Rendering.RenderContext(project, project is null ? [] : [project], [], _time.GetUtcNow(), "", job.Parameters);
            var title = _templates.RenderTitle(job.Page, context, job.File).Trim();
            return title.Length == 0 ? null : title;
        }
        catch (TemplateRenderException)
        {
            // The pass reports the broken pattern with its file; a reply just goes without the link.
            return null;
        }
    }
}
