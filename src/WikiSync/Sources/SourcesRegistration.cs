using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WikiSync.Sources.Ldap;
using WikiSync.Sources.OpenStack;

namespace WikiSync.Sources;

/// <summary>Registers the composed <see cref="IInventorySource"/> the <c>sources:</c> configuration asks for.</summary>
public static class SourcesRegistration
{
    public const string OpenStackHttpClient = "WikiSync.OpenStack";

    /// <summary>
    /// Registers <see cref="IInventorySource"/> as <see cref="InventorySources"/> over the chosen sources.
    /// Call before <c>AddWikiSync</c> (which only adds a source when none is registered).
    /// <paramref name="staticSource"/> builds the static YAML source (needed when any aspect is static);
    /// <paramref name="dataFolder"/> keeps the record of earlier source sizes.
    /// </summary>
    /// <exception cref="SourceException">The combination is not usable; the message names each key.</exception>
    public static IServiceCollection AddInventorySources(this IServiceCollection services, SourcesOptions sources,
        OpenStackOptions? openStack, LdapOptions? ldap, Func<IServiceProvider, IInventorySource>? staticSource, string dataFolder,
        string userAgent = "WikiSync")
    {
        ArgumentNullException.ThrowIfNull(sources);
        var problems = sources.Validate().ToList();
        if (sources.Uses(SourcesOptions.Static) && staticSource is null)
            problems.Add("a static source is selected in sources: but no inventory file is configured (inventory:)");
        if (sources.Uses(SourcesOptions.Ldap))
            problems.AddRange(ldap?.Validate() ?? ["sources: selects ldap but there is no ldap: section"]);
        if (sources.UsesCloud)
            problems.AddRange(openStack?.Validate(sources.CloudAspects) ?? ["sources: selects openstack or keystone but there is no openstack: section"]);
        if (problems.Count > 0)
            throw new SourceException("the sources configuration is not usable: " + string.Join("; ", problems));

        if (sources.UsesCloud)
        {
            services.AddHttpClient(OpenStackHttpClient, client =>
                {
                    // OpenStackHttp applies the per-request timeout; this one only bounds a stuck handler.
                    client.Timeout = TimeSpan.FromSeconds(openStack!.TimeoutSeconds * 2 + 5);
                    client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
                })
                // The source lives for the process and holds its client: rotate connections, not handlers.
                // A redirect is never followed: the token goes only to the endpoints Keystone's catalog names.
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        }
        services.AddSingleton<ISourceHistory>(_ => new FileSourceHistory(Path.Combine(dataFolder, "source-counts.json")));
        services.AddSingleton<IInventorySource>(sp =>
        {
            var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            var logs = sp.GetRequiredService<ILoggerFactory>();
            var built = new Dictionary<string, IInventorySource>(StringComparer.Ordinal);
            IInventorySource Get(string kind)
            {
                // Keystone and Nova are one source: one token cache, and the composition takes what it answers as one inventory.
                if (kind == SourcesOptions.Keystone)
                    kind = SourcesOptions.OpenStack;
                if (!built.TryGetValue(kind, out var source))
                {
                    source = kind switch
                    {
                        SourcesOptions.Ldap => new LdapInventorySource(ldap!, logs.CreateLogger<LdapInventorySource>()),
                        SourcesOptions.OpenStack => new OpenStackInventorySource(
                            sp.GetRequiredService<IHttpClientFactory>().CreateClient(OpenStackHttpClient), openStack!, time,
                            logs.CreateLogger<OpenStackInventorySource>(), sources.CloudAspects),
                        _ => staticSource!(sp),
                    };
                    built[kind] = source;
                }
                return source;
            }
            return new InventorySources(Get(sources.Projects), Get(sources.Members), Get(sources.Instances), sources.AllowEmpty,
                sp.GetRequiredService<ISourceHistory>(), logs.CreateLogger<InventorySources>());
        });
        return services;
    }
}
