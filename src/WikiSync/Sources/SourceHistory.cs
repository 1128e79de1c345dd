using System.Text.Json;
using System.Text.Json.Serialization;

namespace WikiSync.Sources;

/// <summary>How many items each source returned the last time it was believed, keyed by source and aspect.</summary>
public interface ISourceHistory
{
    Task<int?> LastCountAsync(string key, CancellationToken cancellationToken);

    Task RecordAsync(string key, int count, CancellationToken cancellationToken);
}

/// <summary>
/// A small JSON file in the state folder (<c>source-counts.json</c>), so the guard against an empty
/// answer also holds across restarts. Written whole to a temporary file and moved into place.
/// </summary>
public sealed class FileSourceHistory(string path) : ISourceHistory
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async Task<int?> LastCountAsync(string key, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return (await ReadAsync(cancellationToken)).TryGetValue(key, out var n) ? n : null;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task RecordAsync(string key, int count, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var counts = await ReadAsync(cancellationToken);
            if (counts.TryGetValue(key, out var old) && old == count)
                return;
            counts[key] = count;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temporary = path + ".tmp";
            await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(new Dictionary<string, int>(counts, StringComparer.Ordinal), SourceCountsJson.Default.DictionaryStringInt32), cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<SortedDictionary<string, int>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            return new(StringComparer.Ordinal);
        try
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken);
            return new(JsonSerializer.Deserialize(text, SourceCountsJson.Default.DictionaryStringInt32) ?? [], StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new SourceException($"{path}: the record of earlier source sizes cannot be read ({e.Message}); delete it to start afresh", e);
        }
    }
}

/// <summary>
/// Compiled (source-generated) JSON for the counts file: the reflection-based serializer spent ~30 ms of
/// every cold <c>sync</c> building its metadata for this one small file (issue 6).
/// </summary>
[JsonSerializable(typeof(Dictionary<string, int>))]
internal sealed partial class SourceCountsJson : JsonSerializerContext;
