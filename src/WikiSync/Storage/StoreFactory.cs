namespace WikiSync.Storage;

/// <summary>Picks the store from the settings: a PostgreSQL connection string, else SQLite in the state folder.</summary>
public static class StoreFactory
{
    public const string DefaultDataFolder = ".state";

    public static IStore Create(string? store, string? dataFolder) =>
        string.IsNullOrWhiteSpace(store)
            ? new SqliteStore(string.IsNullOrWhiteSpace(dataFolder) ? DefaultDataFolder : dataFolder)
            : new PostgresStore(store);
}
