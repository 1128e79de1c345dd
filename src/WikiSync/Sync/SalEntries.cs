using System.Globalization;
using WikiSync.Model;

namespace WikiSync.Sync;

/// <summary>
/// The SAL entries of one run, read by window and shared by every SAL page of the pass. Which entries a
/// page gets, and the parameters its template sees, are decided here, once (<see cref="WindowStart"/>,
/// <see cref="PageParameters"/>, <see cref="ArchiveBefore"/>): the planner and the golden files of the SAL
/// templates both use this code, so they cannot drift apart. Parameter <c>days</c> = the last N days,
/// <c>months</c> = the current month and the N-1 before it, neither = all.
/// </summary>
internal sealed class SalEntries(ILogEntryReader? reader, IReadOnlySet<long>? withheld = null)
{
    // Per project: the widest window read so far (its start, null = all history) and its entries, newest first.
    private readonly Dictionary<string, (DateTimeOffset? Since, IReadOnlyList<LogEntry> Entries)> _byProject = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IReadOnlyList<string>> _months = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the window <paramref name="since"/> of all these projects in one go (one store query per
    /// batch instead of one per project). Nothing is kept when that fails: each project is then read on
    /// its own, so a failing store reports exactly what it always did.
    /// </summary>
    public async Task PrefetchAsync(IEnumerable<Project> projects, DateTimeOffset? since, CancellationToken ct)
    {
        if (reader is null)
            return;
        var names = projects.Select(p => p.Name).Where(n => !Covers(n, since)).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count < 2)
            return;
        IReadOnlyDictionary<string, IReadOnlyList<LogEntry>> lists;
        try
        {
            lists = await reader.ListManyAsync(names, since, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return;
        }
        foreach (var name in names)
        {
            // First name wins, as with reads one by one (the cache ignores case, the store does not).
            if (lists.TryGetValue(name, out var list) && !_byProject.ContainsKey(name))
                _byProject[name] = (since, Sorted(list));
        }
    }

    /// <summary>
    /// The archive months of all these projects in one go (<see cref="ArchiveMonthsAsync"/> then asks the
    /// store nothing). Nothing is kept when that fails: each project is then asked on its own, and reports
    /// a failing store as it always did.
    /// </summary>
    public async Task PrefetchMonthsAsync(IEnumerable<Project> projects, DateTimeOffset now, CancellationToken ct)
    {
        if (reader is null)
            return;
        var names = projects.Select(p => p.Name).Where(n => !_months.ContainsKey(n)).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count < 2)
            return;
        IReadOnlyDictionary<string, IReadOnlyList<string>> months;
        try
        {
            months = await reader.MonthsBeforeManyAsync(names, ArchiveBefore(now), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return;
        }
        foreach (var name in names)
        {
            // First name wins, as with reads one by one (the cache ignores case, the store does not).
            if (months.TryGetValue(name, out var list))
                _months.TryAdd(name, list);
        }
    }

    private bool Covers(string project, DateTimeOffset? since) =>
        _byProject.TryGetValue(project, out var read) && (read.Since is null || (since is { } s && read.Since <= s));

    // Every list a page gets passes here, so an entry withheld from this pass is on none of its pages.
    private List<LogEntry> Sorted(IReadOnlyList<LogEntry> list) =>
        list.Where(e => withheld is null || !withheld.Contains(e.Id)).OrderByDescending(e => e.ReceivedUtc).ThenByDescending(e => e.Id).ToList();

    /// <summary>The project's entries received at or after <paramref name="since"/> (all when null), newest first.</summary>
    public async Task<IReadOnlyList<LogEntry>> SinceAsync(string project, DateTimeOffset? since, CancellationToken ct)
    {
        if (reader is null)
            return [];
        if (!Covers(project, since))
        {
            var list = await Read(() => reader.ListAsync(project, since, ct), project);
            _byProject[project] = (since, Sorted(list));
        }
        var all = _byProject[project].Entries;
        return since is { } start ? all.Where(e => e.ReceivedUtc >= start).ToList() : all;
    }

    /// <summary>The entries of one UTC month (<c>yyyy-MM</c>), newest first: what its archive page shows.</summary>
    public async Task<IReadOnlyList<LogEntry>> MonthAsync(string project, string month, CancellationToken ct)
    {
        if (reader is null)
            return [];
        var start = MonthStart(month);
        return Sorted(await Read(() => reader.ListBetweenAsync(project, start, start.AddMonths(1), ct), project));
    }

    /// <summary>The months that have an archive page (older than the previous month), newest first.</summary>
    public async Task<IReadOnlyList<string>> ArchiveMonthsAsync(string project, DateTimeOffset now, CancellationToken ct)
    {
        if (reader is null)
            return [];
        if (!_months.TryGetValue(project, out var months))
            _months[project] = months = await Read(() => reader.MonthsBeforeAsync(project, ArchiveBefore(now), ct), project);
        return months;
    }

    public async Task<IReadOnlyList<LogEntry>> LatestPerProjectAsync(IEnumerable<Project> projects, CancellationToken ct) =>
        reader is null ? [] : [.. (await Read(() => reader.LatestAsync([.. projects.Select(p => p.Name)], ct), "all projects")).Where(e => withheld is null || !withheld.Contains(e.Id))];

    private static async Task<T> Read<T>(Func<Task<T>> read, string project)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is not OperationCanceledException and not Sources.SourceException)
        {
            throw new Sources.SourceException($"reading the Server Admin Log of {project} failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// The context of a per-project SAL page (the full log, the recent log on the project page): the
    /// entries of the job's window and the parameters with the archive months.
    /// </summary>
    public async Task<Rendering.RenderContext> ProjectPageAsync(Project project, IReadOnlyList<Project> projects, IReadOnlyDictionary<string, string> jobParameters,
        DateTimeOffset now, CancellationToken ct)
    {
        var list = await SinceAsync(project.Name, WindowStart(jobParameters, now), ct);
        var parameters = PageParameters(jobParameters, await ArchiveMonthsAsync(project.Name, now, ct));
        return new Rendering.RenderContext(project, projects, list, now, "", parameters);
    }

    /// <summary>The context of one archive page: the month's entries and the parameters with <c>month</c>.</summary>
    public async Task<Rendering.RenderContext> ArchivePageAsync(Project project, IReadOnlyList<Project> projects, IReadOnlyDictionary<string, string> jobParameters,
        string month, DateTimeOffset now, CancellationToken ct) =>
        new(project, projects, await MonthAsync(project.Name, month, ct), now, "", ArchiveParameters(jobParameters, month));

    /// <summary>Where a page's window starts: <c>days</c> back, the first of the month <c>months</c>-1 back, or null (all).</summary>
    public static DateTimeOffset? WindowStart(IReadOnlyDictionary<string, string> parameters, DateTimeOffset now)
    {
        if (parameters.TryGetValue("days", out var d) && int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
            return now.AddDays(-days);
        if (parameters.TryGetValue("months", out var m) && int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var months) && months > 0)
            return new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-(months - 1));
        return null;
    }

    /// <summary>Entries before this go to archive pages: the start of the previous month.</summary>
    public static DateTimeOffset ArchiveBefore(DateTimeOffset now) =>
        new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-1);

    /// <summary>
    /// The archive months a pass about <paramref name="entries"/> must render: the month that closed last
    /// (the first entry of a month closes the one before the previous) and the archive months of the
    /// entries themselves (an entry that waited long, or came late).
    /// </summary>
    public static IReadOnlySet<string> ArchiveMonthsFor(IEnumerable<LogEntry> entries, DateTimeOffset now)
    {
        var before = ArchiveBefore(now);
        var months = entries.Where(e => e.ReceivedUtc < before).Select(e => MonthOf(e.ReceivedUtc)).ToHashSet(StringComparer.Ordinal);
        months.Add(MonthOf(before.AddMonths(-1)));
        return months;
    }

    /// <summary>
    /// The parameters a per-project SAL page's template sees: the job's, plus <c>archives</c>, the archive
    /// months newest first (comma-separated), which the full log links.
    /// </summary>
    public static IReadOnlyDictionary<string, string> PageParameters(IReadOnlyDictionary<string, string> parameters, IReadOnlyList<string> archiveMonths) =>
        new Dictionary<string, string>(parameters, StringComparer.Ordinal) { ["archives"] = string.Join(",", archiveMonths) };

    /// <summary>The parameters of one archive page: the job's, plus <c>month</c>.</summary>
    public static IReadOnlyDictionary<string, string> ArchiveParameters(IReadOnlyDictionary<string, string> parameters, string month) =>
        new Dictionary<string, string>(parameters, StringComparer.Ordinal) { ["month"] = month };

    public static string MonthOf(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static DateTimeOffset MonthStart(string month) =>
        DateTimeOffset.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
