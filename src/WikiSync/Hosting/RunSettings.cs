using WikiSync.Wiki;

namespace WikiSync.Hosting;

/// <summary>
/// What <c>wikisync run</c> needs beyond the sync flow itself. Built from the loaded configuration
/// (<c>WikiSyncSettings</c>); the timings are here so tests can shorten them.
/// </summary>
public sealed record RunSettings
{
    /// <summary>A PostgreSQL connection string (clustered scheduler), or null for SQLite in <see cref="DataFolder"/>.</summary>
    public string? Store { get; init; }

    public string DataFolder { get; init; } = ".state";

    /// <summary>Port on 127.0.0.1; 0 = no HTTP.</summary>
    public int HttpPort { get; init; }

    /// <summary>Bearer token for POST /log and for refreshes from scripts. Secret: never logged.</summary>
    public string? HttpToken { get; init; }

    /// <summary>A host name the HTTP port answers besides 127.0.0.1 and localhost (a proxy's), or null.</summary>
    public string? PublicHost { get; init; }

    public string ShutoffPage { get; init; } = "User:WikiSync/Shutoff";

    /// <summary>The wiki's api.php, from which the status page links diffs (index.php?diff=REV).</summary>
    public string? WikiApi { get; init; }

    /// <summary>How late a trigger may fire before it counts as missed (then it runs once, now).</summary>
    public TimeSpan MisfireThreshold { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan ShutoffCheckInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a node that is not the IRC leader tries to become it.</summary>
    public TimeSpan LeaderRetryInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a clustered node checks in; a node silent for twice this is taken as dead.</summary>
    public TimeSpan ClusterCheckinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long Ctrl-C / SIGTERM waits for the page in hand.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public bool IsClustered => !string.IsNullOrWhiteSpace(Store);

    public string SqliteFile => Path.GetFullPath(Path.Combine(DataFolder, "wikisync.db"));

    /// <summary>index.php next to api.php, for diff links; null when the wiki is not configured.</summary>
    public string? WikiIndex => WikiUrls.IndexPhp(WikiApi);

    public override string ToString() =>
        $"RunSettings {{ Store = {(IsClustered ? "PostgreSQL" : SqliteFile)}, HttpPort = {HttpPort}, HttpToken = {(string.IsNullOrEmpty(HttpToken) ? "(none)" : "(set)")}, ShutoffPage = {ShutoffPage} }}";
}
