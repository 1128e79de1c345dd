using System.Globalization;
using WikiSync.Model;
using WikiSync.Jobs;
using WikiSync.Rendering;
using WikiSync.Sync;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace WikiSync.Tests.Rendering;

/// <summary>
/// A RenderContext written as YAML for golden-file cases. Keys are the template names
/// (<c>received_utc</c>, <c>display_name</c>); <c>project</c> names one of <c>projects</c>; times are ISO 8601.
/// For the SAL templates, <c>entries</c> are everything in the store and <c>job</c> names a shipped job
/// file (its parameters are the page's, unless <c>parameters</c> are given): the entries and parameters the
/// template sees come from the planner's own code (<see cref="SalEntries"/>), windows and archive months
/// included, so golden files and pipeline cannot drift apart.
/// </summary>
internal static class GoldenContext
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static RenderContext Parse(string yaml, string file)
    {
        var doc = Yaml.Deserialize<ContextDoc>(yaml) ?? throw new InvalidDataException($"{file}: empty case");
        var projects = (doc.Projects ?? []).Select(p => new Project(
            p.Name ?? throw new InvalidDataException($"{file}: a project without name"),
            p.Description ?? "",
            [.. (p.Members ?? []).Select(m => new Member(m.User ?? "", m.Role ?? "", m.DisplayName))],
            [.. (p.Instances ?? []).Select(i => new Instance(i.Name ?? "", i.Id ?? "", i.State ?? "",
                i.Addresses ?? (i.Ip is null ? [] : [i.Ip]), i.Image ?? "", i.Flavor ?? "", Time(i.Created, file),
                i.Puppet ?? [], i.Metadata ?? []))])).ToList();
        var project = doc.Project is null ? null
            : projects.FirstOrDefault(p => p.Name == doc.Project) ?? throw new InvalidDataException($"{file}: project '{doc.Project}' is not in projects");
        var entries = (doc.Entries ?? []).Select(e => new LogEntry(e.Id, e.Project ?? project?.Name ?? "", e.Author ?? "", e.Message ?? "",
            e.Channel ?? "#ops", Time(e.ReceivedUtc, file) ?? throw new InvalidDataException($"{file}: entry {e.Id} without received_utc"))).ToList();
        var now = Time(doc.Now, file) ?? throw new InvalidDataException($"{file}: 'now' is required");
        var page = doc.Page ?? (project is null ? "" : "Nova Resource:" + project.Name);
        if (doc.Job is { } name)
            return PlannedSal(name, doc, project ?? throw new InvalidDataException($"{file}: a SAL case needs 'project'"), projects, entries, now, page, file);
        return new RenderContext(project, projects, entries, now, page, doc.Parameters ?? []);
    }

    private static RenderContext PlannedSal(string name, ContextDoc doc, Project project, IReadOnlyList<Project> projects, List<LogEntry> entries,
        DateTimeOffset now, string page, string file)
    {
        var templates = TemplateSetTemplates.Load(Repository.Templates);
        var job = JobLoader.Load(Path.Combine(Repository.Root, "jobs"), templates.Exists).Find(name)
            ?? throw new InvalidDataException($"{file}: no shipped job named '{name}'");
        var parameters = doc.Parameters ?? new Dictionary<string, string>(job.Parameters);
        var sal = new SalEntries(new StoredEntries(entries));
        var context = job.ForEach == ForEach.SalMonth
            ? sal.ArchivePageAsync(project, projects, parameters, page.Split('/')[^1], now, CancellationToken.None).GetAwaiter().GetResult()
            : sal.ProjectPageAsync(project, projects, parameters, now, CancellationToken.None).GetAwaiter().GetResult();
        return context with { PageTitle = page };
    }

    /// <summary>The case's entries as the store would answer (the reader's own windowed defaults).</summary>
    private sealed class StoredEntries(List<LogEntry> entries) : ILogEntryReader
    {
        public Task<IReadOnlyList<LogEntry>> ListAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<LogEntry>>([.. entries.Where(e => e.Project == project && (since is null || e.ReceivedUtc >= since))
                .OrderByDescending(e => e.ReceivedUtc).ThenByDescending(e => e.Id)]);

        public Task<IReadOnlyList<string>> ProjectsWithUnpublishedAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
    }

    private static DateTimeOffset? Time(string? value, string file) =>
        value is null ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t
        : throw new InvalidDataException($"{file}: '{value}' is not a time");

    private sealed class ContextDoc
    {
        public string? Now { get; set; }
        public string? Page { get; set; }
        public string? Project { get; set; }
        public string? Job { get; set; }
        public List<ProjectDoc>? Projects { get; set; }
        public List<EntryDoc>? Entries { get; set; }
        public Dictionary<string, string>? Parameters { get; set; }
    }

    private sealed class ProjectDoc
    {
        public string? Name { get; set; }
        public string? Description { get; set; }
        public List<MemberDoc>? Members { get; set; }
        public List<InstanceDoc>? Instances { get; set; }
    }

    private sealed class MemberDoc
    {
        public string? User { get; set; }
        public string? Role { get; set; }
        public string? DisplayName { get; set; }
    }

    private sealed class InstanceDoc
    {
        public string? Name { get; set; }
        public string? Id { get; set; }
        public string? State { get; set; }
        public string? Ip { get; set; }
        public List<string>? Addresses { get; set; }
        public string? Image { get; set; }
        public string? Flavor { get; set; }
        public string? Created { get; set; }
        public List<string>? Puppet { get; set; }
        public Dictionary<string, string>? Metadata { get; set; }
    }

    private sealed class EntryDoc
    {
        public long Id { get; set; }
        public string? Project { get; set; }
        public string? Author { get; set; }
        public string? Message { get; set; }
        public string? Channel { get; set; }
        public string? ReceivedUtc { get; set; }
    }
}
