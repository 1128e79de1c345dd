using System.Globalization;
using System.Text.Json;

namespace WikiSync.AdminLog.Import;

/// <summary>What a JSON-lines copy of a log held for one project, and what it could not take.</summary>
public sealed record SalJsonLinesRead(IReadOnlyList<ImportedEntry> Entries, IReadOnlyList<ImportProblem> Problems, int OtherProjects);

/// <summary>
/// Reads JSON lines <c>{"@timestamp": …, "nick": …, "message": …, "project": …}</c>, what an
/// Elasticsearch copy of a log holds. <c>@timestamp</c> is ISO 8601 (UTC when it names no offset) or epoch
/// milliseconds; lines of other projects are counted, not taken.
/// </summary>
public static class SalJsonLines
{
    public static async Task<SalJsonLinesRead> ReadAsync(string path, string project, CancellationToken cancellationToken)
    {
        var entries = new List<ImportedEntry>();
        var problems = new List<ImportProblem>();
        var others = 0;
        var number = 0;
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (line.Trim().Length == 0)
                continue;
            var read = Read(path, number, line, project);
            if (read.Problem is { } problem)
                problems.Add(problem);
            else if (read.Entry is { } entry)
                entries.Add(entry);
            else
                others++;
        }

        return new SalJsonLinesRead(entries, problems, others);
    }

    private static (ImportedEntry? Entry, ImportProblem? Problem) Read(string path, int number, string line, string project)
    {
        ImportProblem Problem(string reason) => new(path, number, line.Length > 200 ? line[..200] + "…" : line, reason);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (null, Problem($"not JSON ({e.Message})"));
        }

        if (root.ValueKind != JsonValueKind.Object)
            return (null, Problem("not a JSON object"));
        if (Text(root, "project") is not { } lineProject)
            return (null, Problem("field \"project\" is missing"));
        if (!string.Equals(lineProject.Trim(), project, StringComparison.OrdinalIgnoreCase))
            return (null, null);
        if (Text(root, "nick") is not { Length: > 0 } nick)
            return (null, Problem("field \"nick\" is missing"));
        if (Text(root, "message") is not { } message || message.Trim().Length == 0)
            return (null, Problem("field \"message\" is missing"));
        if (!root.TryGetProperty("@timestamp", out var stamp) || Timestamp(stamp) is not { } utc)
            return (null, Problem("field \"@timestamp\" is missing or not a time"));
        if (LogEntryBounds.Check(nick.Trim(), message.Trim()) is { } bound)
            return (null, Problem(bound));
        return (new ImportedEntry(utc, nick.Trim(), message.Trim(), path, number), null);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Timestamp(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var millis))
            return DateTimeOffset.FromUnixTimeMilliseconds(millis);
        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return parsed;
        return null;
    }
}
