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

    /// <summary>
    /// The hypervisor's view (NOSTATE, RUNNING, PAUSED, SHUTDOWN, CRASHED, SUSPENDED); "" when the source
    /// does not know it (a static inventory).
    /// </summary>
    public string PowerState { get; init; } = "";

    /// <summary>What the cloud is doing to the instance right now (spawning, rebooting...); "" when nothing.</summary>
    public string TaskState { get; init; } = "";

    /// <summary>The cloud's lifecycle state (active, stopped, error...); "" when the source does not know it.</summary>
    public string VmState { get; init; } = "";
}
