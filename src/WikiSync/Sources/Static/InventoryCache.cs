using System.Security.Cryptography;
using System.Text;
using WikiSync.Model;

namespace WikiSync.Sources.Static;

/// <summary>
/// The parsed inventory file kept in the state folder (<c>inventory.cache</c>), keyed by the SHA-256 of the
/// file's bytes and by this build of WikiSync: a new process reading an unchanged file (every cron run of
/// <c>wikisync sync</c>) skips the YAML parse, most of its start-up for 1,000 projects (issue 12 §7). Only a
/// file that parsed without a problem is kept, so every error still comes from the parser. A cache that
/// cannot be read or written, is damaged, or belongs to another file or build is ignored: the file is parsed.
/// </summary>
internal static class InventoryCache
{
    public const string FileName = "inventory.cache";

    private const string Magic = "wikisync inventory cache 1";

    // The model's shape (and the reader's rules) may change with any build.
    private static readonly Guid s_build = typeof(InventoryCache).Assembly.ManifestModule.ModuleVersionId;

    public static byte[] HashOf(byte[] file) => SHA256.HashData(file);

    /// <summary>The inventory kept for a file with this hash; null when there is none that can be trusted.</summary>
    public static Inventory? Load(string folder, byte[] fileHash)
    {
        try
        {
            using var stream = new FileStream(Path.Combine(folder, FileName), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadString() != Magic || new Guid(reader.ReadBytes(16)) != s_build || !reader.ReadBytes(fileHash.Length).AsSpan().SequenceEqual(fileHash))
                return null;
            var projects = new Project[Count(reader)];
            for (var i = 0; i < projects.Length; i++)
                projects[i] = ReadProject(reader);
            // Written last: a cache cut short (a full disk, a crash) is not taken for a smaller inventory.
            return reader.ReadString() == Magic && stream.Position == stream.Length ? new Inventory(projects) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EndOfStreamException or FormatException
                                      or ArgumentException or InvalidDataException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Keeps the inventory parsed from a file with this hash; a state folder that cannot take it only costs the next run a parse.</summary>
    public static void Save(string folder, byte[] fileHash, Inventory inventory)
    {
        var path = Path.Combine(folder, FileName);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(s_build.ToByteArray());
                writer.Write(fileHash);
                writer.Write(inventory.Projects.Count);
                foreach (var project in inventory.Projects)
                    WriteProject(writer, project);
                writer.Write(Magic);
            }
            // Renamed into place: a run reading at the same time sees the old cache or the new one, never half.
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // Nothing more to do: the cache is only an optimisation.
            }
        }
    }

    private static int Count(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        return count is >= 0 and <= 10_000_000 ? count : throw new InvalidDataException("bad count");
    }

    private static void WriteProject(BinaryWriter writer, Project project)
    {
        writer.Write(project.Name);
        writer.Write(project.Description);
        writer.Write(project.Members.Count);
        foreach (var member in project.Members)
        {
            writer.Write(member.User);
            writer.Write(member.Role);
            WriteNullable(writer, member.DisplayName);
        }
        writer.Write(project.Instances.Count);
        foreach (var instance in project.Instances)
        {
            writer.Write(instance.Name);
            writer.Write(instance.Id);
            writer.Write(instance.State);
            WriteList(writer, instance.Addresses);
            writer.Write(instance.Image);
            writer.Write(instance.Flavor);
            writer.Write(instance.Created.HasValue);
            if (instance.Created is { } created)
            {
                writer.Write(created.UtcTicks);
                writer.Write((short)created.Offset.TotalMinutes);
            }
            WriteList(writer, instance.Puppet);
            writer.Write(instance.Metadata.Count);
            foreach (var (key, value) in instance.Metadata)
            {
                writer.Write(key);
                writer.Write(value);
            }
            writer.Write(instance.PowerState);
            writer.Write(instance.TaskState);
            writer.Write(instance.VmState);
        }
    }

    private static Project ReadProject(BinaryReader reader)
    {
        var name = reader.ReadString();
        var description = reader.ReadString();
        var members = new Member[Count(reader)];
        for (var i = 0; i < members.Length; i++)
            members[i] = new Member(reader.ReadString(), string.Intern(reader.ReadString()), ReadNullable(reader));
        var instances = new Instance[Count(reader)];
        for (var i = 0; i < instances.Length; i++)
        {
            var (instance, id, state) = (reader.ReadString(), reader.ReadString(), string.Intern(reader.ReadString()));
            var addresses = ReadList(reader, intern: false);
            var (image, flavor) = (string.Intern(reader.ReadString()), string.Intern(reader.ReadString()));
            DateTimeOffset? created = reader.ReadBoolean()
                ? new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(reader.ReadInt16()))
                : null;
            var puppet = ReadList(reader, intern: true);
            var entries = Count(reader);
            var metadata = entries == 0 ? NoMetadata : ReadMetadata(reader, entries);
            instances[i] = new Instance(instance, id, state, addresses, image, flavor, created, puppet, metadata)
            {
                PowerState = reader.ReadString(),
                TaskState = reader.ReadString(),
                VmState = reader.ReadString(),
            };
        }
        return new Project(name, description, members, instances);
    }

    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private static Dictionary<string, string> ReadMetadata(BinaryReader reader, int entries)
    {
        var metadata = new Dictionary<string, string>(entries, StringComparer.Ordinal);
        for (var m = 0; m < entries; m++)
            metadata[reader.ReadString()] = reader.ReadString();
        return metadata;
    }

    private static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
            writer.Write(value);
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private static void WriteList(BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write(values.Count);
        foreach (var value in values)
            writer.Write(value);
    }

    private static string[] ReadList(BinaryReader reader, bool intern)
    {
        var values = new string[Count(reader)];
        for (var i = 0; i < values.Length; i++)
            values[i] = intern ? string.Intern(reader.ReadString()) : reader.ReadString();
        return values;
    }
}
