namespace WikiSync.Sources.OpenStack;

/// <summary>One catalog endpoint as Keystone v3 lists it.</summary>
public sealed record CatalogEndpoint(string ServiceType, string Interface, string? Region, Uri Url);

/// <summary>
/// An issued Keystone token with its catalog. The value is a secret: <see cref="ToString"/> omits it.
/// </summary>
public sealed record KeystoneToken(
    string Value,
    DateTimeOffset ExpiresAt,
    string? ProjectId,
    string? ProjectName,
    IReadOnlyList<CatalogEndpoint> Catalog)
{
    /// <summary>The endpoint of <paramref name="serviceType"/> for the interface and region asked.</summary>
    /// <exception cref="SourceException">The catalog has none; the message lists what it has.</exception>
    public Uri Endpoint(string serviceType, string endpointInterface, string? region)
    {
        if (TryEndpoint(serviceType, endpointInterface, region) is { } url)
            return url;
        var offered = Catalog.Where(e => e.ServiceType == serviceType)
            .Select(e => $"{e.Interface}@{e.Region ?? "(no region)"}").ToList();
        var where = string.IsNullOrEmpty(region) ? "" : $" in region {region}";
        throw new SourceException(offered.Count == 0
            ? $"the Keystone service catalog has no \"{serviceType}\" service"
            : $"the Keystone service catalog has no {endpointInterface} \"{serviceType}\" endpoint{where} (it has: {string.Join(", ", offered)})");
    }

    /// <summary>The endpoint of <paramref name="serviceType"/> for the interface and region asked; null when the catalog has none.</summary>
    public Uri? TryEndpoint(string serviceType, string endpointInterface, string? region) =>
        Catalog.FirstOrDefault(e =>
            e.ServiceType == serviceType
            && string.Equals(e.Interface, endpointInterface, StringComparison.OrdinalIgnoreCase)
            && (string.IsNullOrEmpty(region) || string.Equals(e.Region, region, StringComparison.OrdinalIgnoreCase)))?.Url;

    public override string ToString() =>
        $"KeystoneToken {{ ExpiresAt = {ExpiresAt:O}, Project = {ProjectName} ({ProjectId}), Endpoints = {Catalog.Count} }}";
}
