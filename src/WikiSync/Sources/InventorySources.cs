using Microsoft.Extensions.Logging;
using WikiSync.Model;

namespace WikiSync.Sources;

/// <summary>
/// The configured sources composed into one <see cref="Inventory"/>: the project list (names and
/// descriptions) from the projects source, members from the members source, instances from the instance
/// source, matched by project name (case-insensitively). Each distinct source is collected once per
/// run, concurrently. Any failure fails the whole collection with a <see cref="SourceException"/>, and
/// so does an empty answer from a source that was not empty last time (unless
/// <see cref="SourcesOptions.AllowEmpty"/>): the pages stay as they were rather than being blanked.
/// </summary>
public sealed class InventorySources : IInventorySource
{
    private readonly IInventorySource _projects;
    private readonly IInventorySource _members;
    private readonly IInventorySource _instances;
    private readonly bool _allowEmpty;
    private readonly ISourceHistory _history;
    private readonly ILogger<InventorySources> _log;

    public InventorySources(IInventorySource projects, IInventorySource members, IInventorySource instances,
        bool allowEmpty, ISourceHistory history, ILogger<InventorySources> log)
    {
        _projects = projects;
        _members = members;
        _instances = instances;
        _allowEmpty = allowEmpty;
        _history = history;
        _log = log;
    }

    public string Describe()
    {
        var distinct = Distinct();
        return distinct.Count == 1
            ? distinct[0].Describe()
            : $"projects={_projects.Describe()}, members={_members.Describe()}, instances={_instances.Describe()}";
    }

    public Task<Inventory> CollectAsync(CancellationToken cancellationToken) => CollectAsync([], cancellationToken);

    /// <summary>Each source is asked for <paramref name="projects"/> alone (empty: everything); see <see cref="IInventorySource"/>.</summary>
    public async Task<Inventory> CollectAsync(IReadOnlyCollection<string> projects, CancellationToken cancellationToken)
    {
        var sources = Distinct();
        var tasks = sources.Select(s => (Source: s, Task: CollectOneAsync(s, projects, cancellationToken))).ToList();
        try
        {
            await Task.WhenAll(tasks.Select(t => t.Task));
        }
        catch (Exception) when (tasks.Any(t => t.Task.IsFaulted) && !cancellationToken.IsCancellationRequested)
        {
            var failures = tasks.Select(t => t.Task).Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
            if (failures.Count == 1 && failures[0] is SourceException single)
                throw single;
            throw new SourceException(string.Join("; ", failures.Select(f => f.Message)), failures[0]);
        }

        Inventory Of(IInventorySource source) => tasks.First(t => ReferenceEquals(t.Source, source)).Task.Result;
        var listed = Of(_projects);
        var members = Of(_members);
        var instances = Of(_instances);
        await GuardAgainstEmptyAsync(_projects, "projects", listed.Projects.Count, cancellationToken);
        await GuardAgainstEmptyAsync(_members, "members", members.Projects.Sum(p => p.Members.Count), cancellationToken);
        await GuardAgainstEmptyAsync(_instances, "instances", instances.Projects.Sum(p => p.Instances.Count), cancellationToken);

        if (ReferenceEquals(_projects, _members) && ReferenceEquals(_projects, _instances))
            return listed;

        var composed = listed.Projects
            .Select(p => p with
            {
                Members = ReferenceEquals(_members, _projects) ? p.Members : members.Find(p.Name)?.Members ?? [],
                Instances = ReferenceEquals(_instances, _projects) ? p.Instances : instances.Find(p.Name)?.Instances ?? [],
                // The cloud's id, for notifications, from whichever source has one (the instances' when it is the cloud).
                Id = p.Id.Length > 0 ? p.Id : instances.Find(p.Name)?.Id ?? members.Find(p.Name)?.Id ?? "",
            })
            .ToList();
        ReportUnmatched(members, _members, "members", p => p.Members.Count, listed);
        ReportUnmatched(instances, _instances, "instances", p => p.Instances.Count, listed);
        return new Inventory(composed);
    }

    private List<IInventorySource> Distinct()
    {
        var list = new List<IInventorySource> { _projects };
        foreach (var s in new[] { _members, _instances })
        {
            if (!list.Any(x => ReferenceEquals(x, s)))
                list.Add(s);
        }
        return list;
    }

    private async Task<Inventory> CollectOneAsync(IInventorySource source, IReadOnlyCollection<string> projects, CancellationToken cancellationToken)
    {
        try
        {
            return await source.CollectAsync(projects, cancellationToken);
        }
        catch (SourceException e)
        {
            _log.LogWarning("Source {Source} failed: {Reason}", source.Describe(), e.Message);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug or an unexpected library error still must not look like an empty inventory.
            _log.LogError(e, "Source {Source} failed unexpectedly", source.Describe());
            throw new SourceException($"{source.Describe()} failed: {e.Message}", e);
        }
    }

    private async Task GuardAgainstEmptyAsync(IInventorySource source, string aspect, int count, CancellationToken cancellationToken)
    {
        var key = $"{source.Describe()}#{aspect}";
        var last = await _history.LastCountAsync(key, cancellationToken);
        if (count == 0 && last > 0 && !_allowEmpty)
        {
            throw new SourceException(
                $"{source.Describe()} returned no {aspect} where the last good answer had {last}; refusing to blank pages " +
                "(set sources.allow_empty: true if the source is really empty now)");
        }
        if (last != count)
            await _history.RecordAsync(key, count, cancellationToken);
    }

    private void ReportUnmatched(Inventory from, IInventorySource source, string aspect, Func<Project, int> size, Inventory projects)
    {
        if (ReferenceEquals(source, _projects))
            return;
        var unmatched = from.Projects.Where(p => size(p) > 0 && projects.Find(p.Name) is null).Select(p => p.Name).ToList();
        if (unmatched.Count > 0)
        {
            _log.LogWarning("{Source} has {Aspect} for {Count} projects the projects source {Projects} does not list: {Names}",
                source.Describe(), aspect, unmatched.Count, _projects.Describe(), string.Join(", ", unmatched.Take(20)));
        }
    }
}
