using System.Globalization;
using System.Text;
using WikiSync.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using WikiSync.Yaml;

namespace WikiSync.Sources.Static;

/// <summary>
/// Projects, members and instances from one YAML file (issue 2 §5). Read again on every collection,
/// so an edit to the file shows at the next run. Every problem names file:line:column.
/// </summary>
public sealed class StaticInventorySource : IInventorySource
{
    private readonly string _path;
    private readonly string? _cacheFolder;

    /// <param name="cacheFolder">The state folder, where the parsed file is kept for the next process (<see cref="InventoryCache"/>); null: not kept.</param>
    public StaticInventorySource(string path, string? cacheFolder = null) => (_path, _cacheFolder) = (path, cacheFolder);

    public string Describe() => $"static:{_path}";

    public Task<Inventory> CollectAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(_path))
            throw new SourceException($"{_path}: the inventory file does not exist");
        return Task.FromResult(ReadFile(_path, _cacheFolder));
    }

    // The last file read, by path, size and modification time: `sync` checks the inventory before it
    // starts (a bad file is bad configuration) and then collects it; the second read of an unchanged file
    // is skipped (issue 6: a third of a 1,000-project refresh). An edited file is read again, parsing only
    // the projects whose text changed (Items).
    private static LastRead? s_last;

    private sealed record LastRead(string Path, long Length, DateTime Modified, Inventory Inventory, InventoryItemIndex Items);

    /// <summary>Reads and checks the inventory file (what a collection returns).</summary>
    /// <param name="cacheFolder">The state folder: a file parsed by an earlier process is taken from its <c>inventory.cache</c>, a file parsed here is kept there (null: neither).</param>
    /// <exception cref="SourceException">The file cannot be read or is no valid inventory (file:line:column).</exception>
    public static Inventory ReadFile(string path, string? cacheFolder = null)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new SourceException($"{path}: the inventory file does not exist");
        var (full, length, modified) = (info.FullName, info.Length, info.LastWriteTimeUtc);
        var last = s_last is { } l && l.Path == full ? l : null;
        if (last is not null && last.Length == length && last.Modified == modified)
            return last.Inventory;
        try
        {
            // Known projects: only the edited ones are parsed (issue 6: `run` collects the file on every pass).
            // A first read, or one the item reader cannot do, reads the whole file as always, with its exact
            // errors; an index it cannot make leaves the old one, as what that knows of each text stays true.
            var known = last?.Items ?? InventoryItemIndex.Empty;
            // A first read in this process: the parse of the same bytes by an earlier one, if it was kept.
            var hash = cacheFolder is not null && known.Count == 0 ? HashOrNull(path) : null;
            if (hash is not null && InventoryCache.Load(cacheFolder!, hash) is { } cached)
            {
                info.Refresh();
                if (info.Exists && info.Length == length && info.LastWriteTimeUtc == modified)
                    s_last = new LastRead(full, length, modified, cached, InventoryItemIndex.Empty);
                return cached;
            }
            var (inventory, items) = known.Count > 0 && ReadItems(path, known) is { } read ? (read.Inventory, read.Index) : ReadWhole(path);
            // Stat again: a file that changed while being read is not remembered.
            info.Refresh();
            if (info.Exists && info.Length == length && info.LastWriteTimeUtc == modified)
            {
                s_last = new LastRead(full, length, modified, inventory, items ?? known);
                if (hash is not null)
                    InventoryCache.Save(cacheFolder!, hash, inventory);
            }
            return inventory;
        }
        catch (YamlFileException e)
        {
            throw new SourceException(e.Message, e);
        }
    }

    /// <summary>
    /// The whole file, project by project when it can (and then with the index of its items for the next
    /// read), else as one tree.
    /// </summary>
    internal static (Inventory Inventory, InventoryItemIndex? Items) ReadWhole(string path)
    {
        using (var file = OpenOrNull(path))
        {
            if (file is not null)
            {
                using var indexing = InventoryItemIndex.Indexing(file);
                using var reader = new StreamReader(indexing, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
                if (ReadStreaming(path, reader) is { } inventory)
                    return (inventory, indexing.IndexOf(inventory.Projects));
            }
        }
        return (Read(YamlFile.Load(path)), null);
    }

    /// <summary>The file read item by item (<see cref="InventoryItemIndex"/>); null when it needs the whole-file reader.</summary>
    internal static ItemRead? ReadItems(string path, InventoryItemIndex known)
    {
        using var file = OpenOrNull(path);
        return file is null ? null : InventoryItemIndex.TryRead(file, known, item => ReadItem(path, item));
    }

    /// <summary>
    /// One list item of the file as an inventory of its own, through the same reader and checks as the whole
    /// file; null when it does not read alone (e.g. an alias to another item's anchor) or has any problem.
    /// </summary>
    private static Project? ReadItem(string path, string item)
    {
        using var reader = new StringReader("projects:\n" + item);
        return ReadStreaming(path, reader) is { Projects: [var project] } ? project : null;
    }

    /// <summary>Parses inventory text; <paramref name="path"/> only names the file in errors.</summary>
    public static Inventory Parse(string path, string text)
    {
        try
        {
            using (var reader = new StringReader(text))
            {
                if (ReadStreaming(path, reader) is { } inventory)
                    return inventory;
            }
            return Read(YamlFile.Parse(path, text));
        }
        catch (YamlFileException e)
        {
            throw new SourceException(e.Message, e);
        }
    }

    /// <summary>The SHA-256 of the file's bytes; null when it cannot be read (the parser then says why).</summary>
    private static byte[]? HashOrNull(string path)
    {
        try
        {
            return InventoryCache.HashOf(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static FileStream? OpenOrNull(string path)
    {
        try
        {
            // Unbuffered: the readers read in large chunks of their own.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The usual inventory (one document, one key <c>projects:</c> holding a list of mappings) read one
    /// project's node tree at a time: the tree of the whole file costs about 20 times the file's size
    /// (issue 6: 13 MB of YAML for 10,000 projects peaked at 300 MB). Null when the file is anything
    /// else or has any problem, so the whole-tree reader runs and reports exactly as it always did.
    /// </summary>
    private static Inventory? ReadStreaming(string path, TextReader reader)
    {
        try
        {
            var file = YamlFile.Streaming(path);
            var parser = new Parser(reader);
            if (!parser.TryConsume<StreamStart>(out _) || !parser.TryConsume<DocumentStart>(out _) || !parser.TryConsume<MappingStart>(out _) ||
                !parser.TryConsume<Scalar>(out var key) || key.Value != "projects" || !parser.TryConsume<SequenceStart>(out _))
                return null;
            var projects = new List<Project>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                if (parser.Current is not MappingStart { Anchor.IsEmpty: true })
                    return null;
                // A node reads itself from the parser (IYamlConvertible), without the deserializer's machinery.
                var node = new YamlMappingNode();
                ((IYamlConvertible)node).Read(parser, typeof(YamlMappingNode), static _ => null);
                var project = ReadProject(file, node);
                if (!seen.Add(project.Name))
                    return null;
                projects.Add(project);
            }
            return parser.TryConsume<MappingEnd>(out _) && parser.TryConsume<DocumentEnd>(out _) && parser.TryConsume<StreamEnd>(out _)
                ? new Inventory(projects)
                : null;
        }
        catch (Exception e) when (e is YamlException or YamlFileException or InvalidOperationException)
        {
            // YamlDotNet's scanner fails some bad input with InvalidOperationException rather than a
            // YamlException: the whole-tree reader then says what it can.
            return null;
        }
    }

    private static Inventory Read(YamlFile file)
    {
        if (file.Root is null)
            throw new YamlFileException($"{file.Path}:1:1: the inventory is empty (expected \"projects:\")");
        var root = file.Keys(file.Mapping(file.Root, "the inventory"), "the inventory", "!projects");
        var projects = new List<Project>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in file.Sequence(root["projects"], "projects"))
        {
            var project = ReadProject(file, node);
            if (!seen.Add(project.Name))
                throw file.Error(node, $"project \"{project.Name}\" is listed twice");
            projects.Add(project);
        }
        return new Inventory(projects);
    }

    private static Project ReadProject(YamlFile file, YamlNode node)
    {
        var keys = file.Keys(file.Mapping(node, "a project"), "a project", "!name", "description", "members", "instances");
        var name = RequiredText(file, keys["name"], "the project's name");
        var what = $"project \"{name}\"";
        var description = keys.TryGetValue("description", out var d) ? file.Scalar(d, $"the description of {what}") : "";
        var members = keys.TryGetValue("members", out var m) && !IsEmpty(m)
            ? file.Sequence(m, $"the members of {what}").Select(n => ReadMember(file, n, what)).ToList()
            : [];
        var instances = keys.TryGetValue("instances", out var i) && !IsEmpty(i)
            ? file.Sequence(i, $"the instances of {what}").Select(n => ReadInstance(file, n, what)).ToList()
            : [];
        return new Project(name, description, members, instances);
    }

    private static Member ReadMember(YamlFile file, YamlNode node, string project)
    {
        var keys = file.Keys(file.Mapping(node, $"a member of {project}"), $"a member of {project}", "!user", "role");
        var user = RequiredText(file, keys["user"], $"the user of a member of {project}");
        var role = keys.TryGetValue("role", out var r) ? string.Intern(file.Scalar(r, $"the role of {user} in {project}")) : "member";
        return new Member(user, role);
    }

    private static Instance ReadInstance(YamlFile file, YamlNode node, string project)
    {
        var what = $"an instance of {project}";
        var keys = file.Keys(file.Mapping(node, what), what,
            "!name", "id", "state", "ip", "image", "flavor", "created", "puppet");
        var name = RequiredText(file, keys["name"], $"the name of {what}");
        what = $"instance \"{name}\" of {project}";
        string Text(string key) => keys.TryGetValue(key, out var n) ? file.Scalar(n, $"the {key} of {what}") : "";

        DateTimeOffset? created = null;
        if (keys.TryGetValue("created", out var c) && Text("created") is { Length: > 0 } text)
        {
            created = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                ? when.ToUniversalTime()
                : throw file.Error(c, $"the created time of {what} is not a date and time: \"{text}\" (expected e.g. 2026-11-01T10:00:00Z)");
        }
        var puppet = keys.TryGetValue("puppet", out var p) && !IsEmpty(p)
            ? file.Sequence(p, $"the puppet classes of {what}").Select(n => string.Intern(file.Scalar(n, $"a puppet class of {what}"))).ToList()
            : [];
        var ip = Text("ip");
        // Roles, states, images, flavors and puppet classes repeat across thousands of instances: one string each.
        return new Instance(name, Text("id"), string.Intern(Text("state")), ip.Length > 0 ? [ip] : [], string.Intern(Text("image")), string.Intern(Text("flavor")),
            created, puppet, NoMetadata);
    }

    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private static string RequiredText(YamlFile file, YamlNode node, string what)
    {
        var text = file.Scalar(node, what);
        return string.IsNullOrWhiteSpace(text) ? throw file.Error(node, $"{what} must not be empty") : text;
    }

    private static bool IsEmpty(YamlNode node) => node is YamlScalarNode { Value: null or "" };
}
