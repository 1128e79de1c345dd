using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using WikiSync.AdminLog;
using WikiSync.Configuration;
using WikiSync.Jobs;
using WikiSync.Sources;
using WikiSync.Sources.Static;
using WikiSync.Storage;
using WikiSync.Sync;
using WikiSync.Wiki;

namespace WikiSync.Composition;

/// <summary>The composition root: everything a WikiSync process needs, from one settings object.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The wiki client's options as the settings give them (a verb that must not wait long, <c>log</c>,
    /// registers its own variant first).
    /// </summary>
    public static WikiSiteOptions WikiSiteOptionsFor(WikiSyncSettings settings, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(services);
        return new WikiSiteOptions
        {
            ApiUrl = new Uri(settings.Wiki.Api ?? throw new InvalidOperationException("wiki.api is not set"), UriKind.Absolute),
            User = settings.Wiki.User ?? "",
            Password = settings.Wiki.Password ?? "",
            Contact = settings.Contact ?? "",
            RequestTimeout = settings.Wiki.Timeout > 0 ? TimeSpan.FromSeconds(settings.Wiki.Timeout) : WikiSiteOptions.DefaultRequestTimeout,
            OnRetry = services.GetService<IWikiSyncMetrics>() is { } metrics ? metrics.Retry : null,
        };
    }

    /// <summary>
    /// Registers settings, time, logging, the wiki, the sources, the store (placement ledger, SAL entries,
    /// edit log), the templates, the job catalog and the sync runner. The store's schema must be current
    /// (<c>wikisync store migrate</c>; the CLI's sync migrates a SQLite store by itself). Other rooms add theirs after this call (TryAdd is used, so a test or a room may
    /// register its own IWikiSite, IInventorySource or IPlacementLedger first).
    /// </summary>
    public static IServiceCollection AddWikiSync(this IServiceCollection services, WikiSyncSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();

        if (Uri.TryCreate(settings.Wiki.Api, UriKind.Absolute, out _))
        {
            services.TryAddSingleton(sp => WikiSiteOptionsFor(settings, sp));
            services.TryAddSingleton(sp => new WikiSite(
                sp.GetRequiredService<WikiSiteOptions>(),
                sp.GetRequiredService<ILogger<WikiSite>>(),
                sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<IWikiSite>(sp => sp.GetRequiredService<WikiSite>());
        }
        else
        {
            services.TryAddSingleton<IWikiSite, UnconfiguredWikiSite>();
        }
        AddSources(services, settings);
        // One cache of the inventory for the process: the IRC bot, the status page and notifications ask it.
        services.TryAddSingleton<IProjectCatalog>(sp => new InventoryProjectCatalog(sp.GetRequiredService<IInventorySource>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ISectionTemplates>(_ => TemplateSetTemplates.Load(settings.Templates ?? "templates"));
        services.TryAddSingleton(sp => JobLoader.Load(settings.Jobs ?? "jobs", sp.GetRequiredService<ISectionTemplates>().Exists));
        services.AddWikiSyncStore(settings.Store, settings.Data);
        services.TryAddSingleton<IPlacementLedger>(sp => new StorePlacementLedger(sp.GetRequiredService<PlacedSectionsStore>()));
        services.TryAddSingleton<IPageVerifications>(sp => new StorePageVerifications(sp.GetRequiredService<VerifiedPagesStore>()));
        services.TryAddSingleton<IWrittenSections>(sp => new StoreWrittenSections(sp.GetRequiredService<WrittenSectionsStore>()));
        services.TryAddSingleton(sp => new LogEntryStore(sp.GetRequiredService<IStore>()));
        services.TryAddSingleton<ILogEntryReader>(sp => sp.GetRequiredService<LogEntryStore>());
        services.TryAddSingleton(new SyncOptions(settings.EffectiveShutoffPage) { PassTimeout = settings.PassTimeout });
        AddGatedRunner(services, settings);
        services.TryAddSingleton<SyncPreview>();
        return services;
    }

    /// <summary>
    /// The cluster-wide sync gate (a PostgreSQL advisory lock when the store is PostgreSQL, else an
    /// in-process lock) and the one <see cref="ISyncRunner"/>: the flow behind that gate. Every writer —
    /// <c>wikisync sync</c>, <c>wikisync log</c>, a node's schedule, refresh and SAL publisher — resolves this
    /// runner, so a CLI run and a node never save one page at once (the account never edit-conflicts with
    /// itself, so the second save would silently undo the first one's section). The ungated flow exists only
    /// inside this registration.
    /// </summary>
    private static void AddGatedRunner(IServiceCollection services, WikiSyncSettings settings)
    {
        services.TryAddSingleton<ISyncGate>(sp => string.IsNullOrWhiteSpace(settings.Store)
            ? new LocalSyncGate()
            : new PostgresSyncGate(settings.Store, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgresSyncGate>>()));
        services.TryAddSingleton<IEditJournal>(sp => new StoreEditJournal(sp.GetRequiredService<EditLogStore>()));
        services.TryAddSingleton<ISyncRunner>(sp => new GatedSyncRunner(
            ActivatorUtilities.CreateInstance<SyncRunner>(sp),
            sp.GetRequiredService<ISyncGate>(),
            sp.GetRequiredService<IEditJournal>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GatedSyncRunner>>()));
    }

    /// <summary>
    /// The composed inventory source of the <c>sources:</c> section (static, LDAP, OpenStack), unless a source
    /// is registered already (tests, or a room's own wiring).
    /// </summary>
    private static void AddSources(IServiceCollection services, WikiSyncSettings settings)
    {
        if (services.Any(d => d.ServiceType == typeof(IInventorySource)))
            return;
        if (settings.Sources.Uses(SourcesOptions.Static) && settings.Inventory is null)
        {
            services.AddSingleton<IInventorySource, MissingInventorySource>();
            return;
        }
        try
        {
            services.AddInventorySources(settings.Sources, settings.OpenStack, settings.Ldap,
                settings.Inventory is { } path ? _ => new StaticInventorySource(path, settings.Data) : null, settings.Data, WikiSite.UserAgentFor(settings.Contact));
        }
        catch (SourceException e)
        {
            throw new ConfigurationException(e.Message, e);
        }
    }
}

/// <summary>Stands in when no inventory is configured, so jobs fail with a reason instead of blanking pages.</summary>
internal sealed class MissingInventorySource : IInventorySource
{
    public string Describe() => "inventory";

    public Task<Model.Inventory> CollectAsync(CancellationToken cancellationToken) =>
        throw new SourceException("no inventory is configured (set WIKISYNC_INVENTORY or inventory: in the configuration file)");
}

/// <summary>Stands in when no wiki API is configured, so every page fails with that reason.</summary>
internal sealed class UnconfiguredWikiSite : IWikiSite
{
    private const string Message = "The wiki API is not set (WIKISYNC_WIKI_API or wiki.api: the URL of api.php).";

    public Task<IReadOnlyDictionary<string, WikiPage>> ReadPagesAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken) =>
        throw new WikiApiException(WikiErrorKind.Refused, "notconfigured", Message);

    public Task<EditResult> EditAsync(EditRequest request, CancellationToken cancellationToken) =>
        throw new WikiApiException(WikiErrorKind.Refused, "notconfigured", Message);
}
