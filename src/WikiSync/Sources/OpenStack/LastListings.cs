using System.Diagnostics.CodeAnalysis;
using WikiSync.Model;

namespace WikiSync.Sources.OpenStack;

/// <summary>A listing's servers of one project, and the project's id (known from a project-scoped token).</summary>
internal sealed record ListedServers(List<Instance> Instances, string? ProjectId);

/// <summary>
/// What the cloud source keeps between collections so that one about a few projects lists only their servers:
/// each project's latest listing, by listing key (the project id in the admin listing, the configured name in
/// project-scoped listings), and Keystone's ids by name. Collections are ordered by when they started: one that
/// started earlier and ended later does not overwrite a newer answer.
/// </summary>
internal sealed class LastListings(bool byProjectId, IReadOnlyList<string> configuredProjects)
{
    /// <summary>More projects than this in one pass: one listing of everything costs less than one per project.</summary>
    private const int MostNarrowed = 5;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Ticket, ListedServers Listed)> _listings = new(StringComparer.Ordinal);
    private Dictionary<string, string> _idsByName = new(StringComparer.OrdinalIgnoreCase);
    private bool _listedWhole;
    private long _tickets;

    /// <summary>The ticket of a collection starting now.</summary>
    public long Start() => Interlocked.Increment(ref _tickets);

    /// <summary>
    /// The listing keys of the projects named, by name, when they can be listed alone; null when everything must
    /// be listed (nothing listed whole yet, too many, an id not known).
    /// </summary>
    public Dictionary<string, string>? Narrowed(IReadOnlyCollection<string> only)
    {
        if (only.Count is 0 or > MostNarrowed)
            return null;
        lock (_lock)
        {
            if (!_listedWhole)
                return null;
            var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in only)
            {
                if (byProjectId)
                {
                    if (!_idsByName.TryGetValue(name, out var id))
                        return null;
                    keys[name] = id;
                }
                else if (configuredProjects.FirstOrDefault(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase)) is { } configured)
                {
                    keys[name] = configured;
                }
            }
            return keys;
        }
    }

    /// <summary>
    /// Takes Keystone's project list as the ids by name; false when one of <paramref name="narrowed"/>'s names now
    /// has another id (renamed, or made again under its name: its servers are under the new id).
    /// </summary>
    public bool RememberIds(List<KeystoneProject> known, [NotNullWhen(false)] Dictionary<string, string>? narrowed)
    {
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in known)
            ids.TryAdd(p.Name, p.Id);
        lock (_lock)
            _idsByName = ids;
        return !byProjectId || narrowed is null || narrowed.All(n => ids.TryGetValue(n.Key, out var id) && id == n.Value);
    }

    /// <summary>
    /// Keeps each project's newest listing and returns the listing to build the inventory from: a whole listing as
    /// Nova gave it, a narrowed one with every other project as last listed.
    /// </summary>
    public Dictionary<string, ListedServers> Remember(Dictionary<string, ListedServers> listing, long ticket, bool whole)
    {
        lock (_lock)
        {
            foreach (var (key, listed) in listing)
            {
                if (!_listings.TryGetValue(key, out var kept) || kept.Ticket < ticket)
                    _listings[key] = (ticket, listed);
            }
            if (!whole)
                return _listings.ToDictionary(k => k.Key, k => k.Value.Listed, StringComparer.Ordinal);
            // A project missing from a whole listing has no servers now.
            foreach (var gone in _listings.Where(k => k.Value.Ticket < ticket && !listing.ContainsKey(k.Key)).Select(k => k.Key).ToList())
                _listings.Remove(gone);
            _listedWhole = true;
            return listing;
        }
    }
}
