using System.Globalization;
using System.Text.Json;
using WikiSync.Model;

namespace WikiSync.Sources.OpenStack;

/// <summary>
/// A server from Nova's <c>GET /servers/detail</c> with the project it belongs to, and the id of its image
/// when Nova gave no name for it (the name is then Glance's to tell; <see cref="Instance.Image"/> holds the id).
/// </summary>
public sealed record NovaServer(string TenantId, Instance Instance, string? ImageId = null);

/// <summary>Maps one Nova server (API v2.1, any microversion up to at least 2.100) to an <see cref="Instance"/>.</summary>
public static class NovaServerMapper
{
    private static readonly char[] PuppetSeparators = [',', ' ', '\t', '\n', '\r'];

    /// <exception cref="SourceException">The server lacks an id or a name; the message says which server.</exception>
    public static NovaServer Map(JsonElement server, string puppetMetadataKey)
    {
        if (server.ValueKind != JsonValueKind.Object)
            throw new SourceException("Nova listed a server that is not a JSON object");
        var id = KeystoneClient.Text(server, "id")
            ?? throw new SourceException("Nova listed a server without an \"id\"");
        var name = KeystoneClient.Text(server, "name")
            ?? throw new SourceException($"Nova listed server {id} without a \"name\"");
        var metadata = Metadata(server);
        var puppet = metadata.TryGetValue(puppetMetadataKey, out var classes)
            ? classes.Split(PuppetSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        var image = Image(server);
        var instance = new Instance(
            Name: name,
            Id: id,
            State: KeystoneClient.Text(server, "status") ?? "UNKNOWN",
            Addresses: Addresses(server),
            Image: image.Name ?? image.Id ?? "",
            Flavor: Flavor(server),
            Created: Created(server),
            Puppet: puppet,
            Metadata: metadata)
        {
            PowerState = PowerState(server),
            TaskState = KeystoneClient.Text(server, "OS-EXT-STS:task_state") ?? "",
            VmState = KeystoneClient.Text(server, "OS-EXT-STS:vm_state") ?? "",
        };
        return new NovaServer(KeystoneClient.Text(server, "tenant_id") ?? KeystoneClient.Text(server, "project_id") ?? "", instance,
            image.Name is null ? image.Id : null);
    }

    /// <summary>Fixed addresses first, then floating ones, each group in the order Nova gave the networks.</summary>
    private static List<string> Addresses(JsonElement server)
    {
        var fixedAddresses = new List<string>();
        var floating = new List<string>();
        if (server.TryGetProperty("addresses", out var networks) && networks.ValueKind == JsonValueKind.Object)
        {
            foreach (var network in networks.EnumerateObject())
            {
                if (network.Value.ValueKind != JsonValueKind.Array)
                    continue;
                foreach (var address in network.Value.EnumerateArray())
                {
                    if (KeystoneClient.Text(address, "addr") is not { Length: > 0 } addr)
                        continue;
                    var list = KeystoneClient.Text(address, "OS-EXT-IPS:type") == "floating" ? floating : fixedAddresses;
                    if (!list.Contains(addr))
                        list.Add(addr);
                }
            }
        }
        fixedAddresses.AddRange(floating.Where(a => !fixedAddresses.Contains(a)));
        return fixedAddresses;
    }

    /// <summary>
    /// The image's name when Nova gives one (it does not, up to at least 2.100) and its id; neither for a
    /// server booted from a volume, which Nova reports as <c>"image": ""</c>.
    /// </summary>
    private static (string? Name, string? Id) Image(JsonElement server)
    {
        if (!server.TryGetProperty("image", out var image))
            return (null, null);
        return image.ValueKind switch
        {
            JsonValueKind.Object => (KeystoneClient.Text(image, "name"), KeystoneClient.Text(image, "id") is { Length: > 0 } id ? id : null),
            JsonValueKind.String when image.GetString() is { Length: > 0 } text => (text, null),
            _ => (null, null),
        };
    }

    /// <summary>
    /// <c>OS-EXT-STS:power_state</c> is the number of nova.compute.power_state; the names are the ones the
    /// CLI and dashboard show. An unknown number stays a number rather than passing for a known state.
    /// </summary>
    private static string PowerState(JsonElement server)
    {
        if (!server.TryGetProperty("OS-EXT-STS:power_state", out var value) || value.ValueKind != JsonValueKind.Number
            || !value.TryGetInt32(out var state))
            return "";
        return state switch
        {
            0 => "NOSTATE",
            1 => "RUNNING",
            3 => "PAUSED",
            4 => "SHUTDOWN",
            6 => "CRASHED",
            7 => "SUSPENDED",
            _ => state.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary><c>original_name</c> from microversion 2.47 on, the flavor id before it.</summary>
    private static string Flavor(JsonElement server)
    {
        if (!server.TryGetProperty("flavor", out var flavor) || flavor.ValueKind != JsonValueKind.Object)
            return "";
        return KeystoneClient.Text(flavor, "original_name") ?? KeystoneClient.Text(flavor, "id") ?? "";
    }

    private static DateTimeOffset? Created(JsonElement server) =>
        KeystoneClient.Text(server, "created") is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created)
            ? created
            : null;

    private static SortedDictionary<string, string> Metadata(JsonElement server)
    {
        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (server.TryGetProperty("metadata", out var values) && values.ValueKind == JsonValueKind.Object)
        {
            foreach (var item in values.EnumerateObject())
            {
                metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String
                    ? item.Value.GetString() ?? ""
                    : item.Value.GetRawText();
            }
        }
        return metadata;
    }
}
