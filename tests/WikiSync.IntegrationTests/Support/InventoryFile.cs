using System.Globalization;
using System.Text;

namespace WikiSync.IntegrationTests.Support;

/// <summary>A project as the static inventory file (issue 2's YAML) describes it, for generated test data.</summary>
public sealed record InventoryProject(string Name, string Description, IReadOnlyList<(string User, string Role)> Members, IReadOnlyList<InventoryInstance> Instances);

public sealed record InventoryInstance(string Name, string Id, string State, string Ip, string Image, string Flavor, DateTimeOffset Created, IReadOnlyList<string> Puppet);

/// <summary>Writes inventory YAML files: realistic, deterministic, of any size.</summary>
public static class InventoryFile
{
    /// <summary>N projects named PREFIX-00001.. with 2-4 members and 3-6 instances each.</summary>
    public static List<InventoryProject> Generate(string prefix, int count, int seed = 1)
    {
        var random = new Random(seed);
        var projects = new List<InventoryProject>(count);
        for (var p = 1; p <= count; p++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{p:D5}");
            var members = Enumerable.Range(0, 2 + random.Next(3))
                .Select(m => (User: string.Create(CultureInfo.InvariantCulture, $"User{random.Next(5000)}"), Role: m == 0 ? "projectadmin" : "member"))
                .DistinctBy(m => m.User).ToList();
            var instances = Enumerable.Range(1, 3 + random.Next(4)).Select(i => Instance(name, i, random)).ToList();
            projects.Add(new InventoryProject(name, $"Benchmark project {p} of {count}", members, instances));
        }
        return projects;
    }

    public static InventoryInstance Instance(string project, int i, Random random) => new(
        string.Create(CultureInfo.InvariantCulture, $"{project}-web-{i}"),
        new Guid(random.Next(), (short)random.Next(short.MaxValue), (short)i, [1, 2, 3, 4, 5, 6, 7, (byte)random.Next(256)]).ToString(),
        i % 5 == 0 ? "SHUTOFF" : "ACTIVE",
        string.Create(CultureInfo.InvariantCulture, $"172.16.{random.Next(256)}.{random.Next(1, 255)}"),
        "debian-12", "g3.cores2.ram4",
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(500_000)),
        ["base", "exim::simple-mail-sender"]);

    public static void Write(string path, IEnumerable<InventoryProject> projects)
    {
        var yaml = new StringBuilder("projects:\n");
        foreach (var project in projects)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - name: {Quote(project.Name)}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    description: {Quote(project.Description)}\n");
            yaml.Append("    members:\n");
            foreach (var (user, role) in project.Members)
                yaml.Append(CultureInfo.InvariantCulture, $"      - {{ user: {Quote(user)}, role: {Quote(role)} }}\n");
            yaml.Append("    instances:\n");
            foreach (var i in project.Instances)
            {
                yaml.Append(CultureInfo.InvariantCulture,
                    $"      - {{ name: {Quote(i.Name)}, id: {Quote(i.Id)}, state: {Quote(i.State)}, ip: {Quote(i.Ip)}, image: {Quote(i.Image)}, flavor: {Quote(i.Flavor)}, created: {i.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}, puppet: [{string.Join(", ", i.Puppet.Select(Quote))}] }}\n");
            }
            if (project.Instances.Count == 0)
                yaml.Replace("    instances:\n", "    instances: []\n", yaml.Length - "    instances:\n".Length, "    instances:\n".Length);
        }
        File.WriteAllText(path, yaml.ToString(), new UTF8Encoding(false));
    }

    /// <summary>A YAML double-quoted scalar: any string, control characters included, survives.</summary>
    public static string Quote(string value)
    {
        var s = new StringBuilder("\"");
        foreach (var c in value)
        {
            s.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' or '\u007f' or '\u0085' or '\u2028' or '\u2029' => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => c.ToString(),
            });
        }
        return s.Append('"').ToString();
    }
}
