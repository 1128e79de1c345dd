namespace WikiSync.Model;

/// <summary>Everything one source knows, collected once per run and shared by all pages.</summary>
public sealed record Inventory(IReadOnlyList<Project> Projects)
{
    public static Inventory Empty { get; } = new([]);

    public Project? Find(string name) =>
        Projects.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
