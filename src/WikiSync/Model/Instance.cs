namespace WikiSync.Model;

/// <summary>A running virtual machine of a project.</summary>
public sealed record Instance(
    string Name,
    string Id,
    string State,
    IReadOnlyList<string> Addresses,
    string Image,
    string Flavor,
    DateTimeOffset? Created,
    IReadOnlyList<string> Puppet,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The first address, which is what a table row shows.</summary>
    public string Ip => Addresses.Count > 0 ? Addresses[0] : "";
}
