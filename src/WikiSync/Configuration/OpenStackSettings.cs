namespace WikiSync.Configuration;

/// <summary>The OpenStack instance source (issue 4). Filled in by the sources room.</summary>
public sealed record OpenStackSettings
{
    /// <summary>Keystone v3 URL; empty = OpenStack not used.</summary>
    public string? AuthUrl { get; init; }

    /// <summary>Secret (password or application credential secret).</summary>
    public string? Secret { get; init; }

    public override string ToString() =>
        $"OpenStackSettings {{ AuthUrl = {AuthUrl}, Secret = {(string.IsNullOrEmpty(Secret) ? "(none)" : "(set)")} }}";

    internal OpenStackSettings ApplyEnvironment(Func<string, string?> env) => this with
    {
        AuthUrl = env("WIKISYNC_OPENSTACK_AUTH_URL") ?? AuthUrl,
        Secret = env("WIKISYNC_OPENSTACK_SECRET") ?? Secret,
    };
}
