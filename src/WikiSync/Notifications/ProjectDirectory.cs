using WikiSync.Model;
using WikiSync.Sources;

namespace WikiSync.Notifications;

/// <summary>
/// The project's name for the id a notification gives, from the inventory source, collected at most once per
/// <see cref="Ttl"/> and again on an unknown id (a project created a moment ago) at most once per <see cref="MissRetry"/>.
/// </summary>
public sealed class ProjectDirectory(IInventorySource source, TimeProvider time)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan MissRetry = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<Project>? _projects;
    private DateTimeOffset _collected;

    /// <summary>The project's name, or null when the inventory has no project of that id (or name).</summary>
    /// <exception cref="SourceException">The source cannot answer and has never answered.</exception>
    public async Task<string?> NameOfAsync(string projectId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_projects is null || now - _collected >= Ttl)
                await CollectAsync(cancellationToken);
            var found = Find(projectId);
            if (found is null && now - _collected >= MissRetry)
            {
                await CollectAsync(cancellationToken);
                found = Find(projectId);
            }
            return found;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CollectAsync(CancellationToken cancellationToken)
    {
        try
        {
            _projects = (await source.CollectAsync(cancellationToken)).Projects;
        }
        catch (SourceException) when (_projects is not null)
        {
            // Answer from what we knew; ask the source again after a while, not on every message.
        }
        _collected = time.GetUtcNow();
    }

    // A source without ids (a static inventory) may name a project by its id.
    private string? Find(string projectId) =>
        (_projects ?? []).FirstOrDefault(p => string.Equals(p.Id, projectId, StringComparison.Ordinal))?.Name
        ?? (_projects ?? []).FirstOrDefault(p => string.Equals(p.Name, projectId, StringComparison.OrdinalIgnoreCase))?.Name;
}
