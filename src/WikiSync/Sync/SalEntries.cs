using System.Globalization;
using WikiSync.Model;

namespace WikiSync.Sync;

/// <summary>
/// The SAL entries of one run: read once per project from the store and shared by every SAL page.
/// Which entries a page gets: parameter <c>days</c> = the last N days, <c>months</c> = the current
/// month and the N-1 before it, neither = all.
/// </summary>
internal sealed class SalEntries(ILogEntryReader? reader)
{
    private readonly Dictionary<string, IReadOnlyList<LogEntry>> _byProject = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the entries of all these projects in one go (one store query per batch instead of one per
    /// project). Nothing is kept when that fails: each project is then read on its own as before, so a
    /// failing store reports exactly what it always did.
    /// </summary>
    public async Task PrefetchAsync(IEnumerable<Project> projects, CancellationToken ct)
    {
        if (reader is null)
            return;
        var names = projects.Select(p => p.Name).Where(n => !_byProject.ContainsKey(n)).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count < 2)
            return;
        IReadOnlyDictionary<string, IReadOnlyList<LogEntry>> lists;
        try
        {
            lists = await reader.ListManyAsync(names, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return;
        }
        foreach (var name in names)
        {
            // First name wins, as with reads one by one (the cache ignores case, the store does not).
            if (lists.TryGetValue(name, out var list) && !_byProject.ContainsKey(name))
                _byProject[name] = Sorted(list);
        }
    }

    private static List<LogEntry> Sorted(IReadOnlyList<LogEntry> list) =>
        list.OrderByDescending(e => e.ReceivedUtc).ThenByDescending(e => e.Id).ToList();

    public async Task<IReadOnlyList<LogEntry>> ListAsync(string project, CancellationToken ct)
    {
        if (reader is null)
            return [];
        if (!_byProject.TryGetValue(project, out var list))
        {
            try
            {
                list = await reader.ListAsync(project, null, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException and not Sources.SourceException)
            {
                throw new Sources.SourceException($"reading the Server Admin Log of {project} failed: {e.Message}", e);
            }
            _byProject[project] = list = Sorted(list);
        }
        return list;
    }

    public async Task<IReadOnlyList<LogEntry>> LatestPerProjectAsync(IEnumerable<Project> projects, CancellationToken ct)
    {
        var latest = new List<LogEntry>();
        foreach (var project in projects)
        {
            if ((await ListAsync(project.Name, ct)) is [var first, ..])
                latest.Add(first);
        }
        return latest;
    }

    public static IReadOnlyList<LogEntry> Window(IReadOnlyList<LogEntry> all, IReadOnlyDictionary<string, string> parameters, DateTimeOffset now)
    {
        if (parameters.TryGetValue("days", out var d) && int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
            return all.Where(e => e.ReceivedUtc >= now.AddDays(-days)).ToList();
        if (parameters.TryGetValue("months", out var m) && int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var months) && months > 0)
        {
            var start = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-(months - 1));
            return all.Where(e => e.ReceivedUtc >= start).ToList();
        }
        return all;
    }

    /// <summary>Months (YYYY-MM, newest first) older than the previous month: these go to archive pages.</summary>
    public static IReadOnlyList<string> ArchiveMonths(IReadOnlyList<LogEntry> all, DateTimeOffset now)
    {
        var previous = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-1);
        return all.Where(e => e.ReceivedUtc < previous).Select(e => MonthOf(e.ReceivedUtc)).Distinct().OrderDescending(StringComparer.Ordinal).ToList();
    }

    public static string MonthOf(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
