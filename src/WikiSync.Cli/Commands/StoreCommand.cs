using System.CommandLine;
using WikiSync.Configuration;
using WikiSync.Storage;

namespace WikiSync.Cli.Commands;

/// <summary><c>wikisync store migrate</c>: creates or upgrades the store's schema (SQLite or PostgreSQL).</summary>
internal static class StoreCommand
{
    public static Command Create()
    {
        var command = new Command("store", "Manage the store (SQLite in WIKISYNC_DATA, or PostgreSQL in WIKISYNC_STORE).");
        var config = CommonOptions.Config();
        var migrate = new Command("migrate", "Create or upgrade the store's schema. Running it twice is harmless.") { config };
        migrate.SetAction(async (parse, cancellationToken) =>
        {
            WikiSyncSettings settings;
            try
            {
                settings = CommonOptions.LoadSettings(parse, config);
            }
            catch (ConfigurationException e)
            {
                return CommonOptions.BadConfiguration(e);
            }

            return await MigrateAsync(settings, Console.Out, Console.Error, cancellationToken);
        });
        command.Subcommands.Add(migrate);
        return command;
    }

    internal static async Task<int> MigrateAsync(WikiSyncSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        IStore store;
        try
        {
            store = StoreFactory.Create(settings.Store, settings.Data);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"wikisync store migrate: {e.Message}");
            return ExitCodes.BadConfiguration;
        }

        try
        {
            return await MigrateAsync(store, output, error, cancellationToken);
        }
        finally
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    internal static async Task<int> MigrateAsync(IStore store, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var migrator = new Migrator(store);
            var applied = await migrator.MigrateAsync(cancellationToken);
            foreach (var migration in applied)
            {
                await output.WriteLineAsync($"applied {migration.Version} {migration.Name}");
            }

            await output.WriteLineAsync(applied.Count == 0
                ? $"{store}: schema already at version {migrator.Latest}"
                : $"{store}: schema at version {migrator.Latest}");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException or SchemaOutOfDateException)
        {
            await error.WriteLineAsync($"wikisync store migrate: {store}: {e.Message}");
            return 1;
        }
    }
}
