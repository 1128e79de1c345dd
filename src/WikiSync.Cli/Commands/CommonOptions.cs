using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WikiSync.Configuration;
using WikiSync.Storage;
using WikiSync.Composition;

namespace WikiSync.Cli.Commands;

/// <summary>Options every verb takes, and the one way a verb turns them into services.</summary>
internal static class CommonOptions
{
    public static Option<string?> Config() => new("--config") { Description = "YAML configuration file (WIKISYNC_* variables override it)." };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log every decision and HTTP detail (never secrets) to stderr." };

    /// <summary>Settings from the file and environment; <see cref="ConfigurationException"/> when they are bad.</summary>
    public static WikiSyncSettings LoadSettings(ParseResult parse, Option<string?> config) =>
        SettingsLoader.Load(parse.GetValue(config));

    /// <param name="more">Registrations a verb needs beyond the core (the store, the SAL).</param>
    public static ServiceProvider Services(WikiSyncSettings settings, bool verbose, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        more?.Invoke(services);
        return services
            .AddWikiSync(settings)
            .AddLogging(b => b
                .ClearProviders()
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning))
            .BuildServiceProvider();
    }

    /// <summary>
    /// Makes the store usable: a SQLite store (a local file) is migrated on the spot, and so is an empty
    /// PostgreSQL database (nothing there to protect); an older schema of a shared PostgreSQL store is
    /// upgraded only by <c>wikisync store migrate</c>, so nodes never upgrade it under each other. Null when
    /// fine, else the problem.
    /// </summary>
    public static async Task<string?> PrepareStoreAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IStore>();
        var migrator = services.GetRequiredService<Migrator>();
        try
        {
            if (store.Dialect == SqlDialect.Sqlite || (await migrator.StatusAsync(cancellationToken)).Current == 0)
                await migrator.MigrateAsync(cancellationToken);
            else
                await migrator.EnsureCurrentAsync(cancellationToken);
            return null;
        }
        catch (Exception e) when (e is SchemaOutOfDateException or System.Data.Common.DbException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return $"the store {store} cannot be used: {e.Message}";
        }
    }

    /// <summary>Prints a configuration problem (each one a line, file:line:column first) and returns exit code 2.</summary>
    public static int BadConfiguration(ConfigurationException e)
    {
        foreach (var problem in e.Problems)
            Console.Error.WriteLine($"wikisync: {problem}");
        return ExitCodes.BadConfiguration;
    }
}
