using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WikiSync.Storage;

public static class StorageServices
{
    /// <summary>
    /// The store from the settings (WIKISYNC_STORE: a PostgreSQL connection string; else SQLite
    /// <c>wikisync.db</c> in WIKISYNC_DATA), its migrator, and the state tables' stores.
    /// </summary>
    public static IServiceCollection AddWikiSyncStore(this IServiceCollection services, string? store, string dataFolder)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => StoreFactory.Create(store, dataFolder));
        services.TryAddSingleton(sp => new Migrator(sp.GetRequiredService<IStore>(), time: sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new PlacedSectionsStore(sp.GetRequiredService<IStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new VerifiedPagesStore(sp.GetRequiredService<IStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new WrittenSectionsStore(sp.GetRequiredService<IStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new PendingRefreshesStore(sp.GetRequiredService<IStore>()));
        services.TryAddSingleton(sp => new EditLogStore(sp.GetRequiredService<IStore>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
