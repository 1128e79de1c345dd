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
    /// The start a store-using verb shares: settings, the services <paramref name="build"/> makes of them
    /// (default <see cref="Services"/>), the store made usable. On a problem it is printed (the store's
    /// after <paramref name="prefix"/>) and the verb's exit code comes back instead of services.
    /// </summary>
    public static async Task<(ServiceProvider? Services, int ExitCode)> OpenAsync(ParseResult parse, Option<string?> config, Option<bool> verbose,
        string prefix, CancellationToken cancellationToken, Func<WikiSyncSettings, bool, ServiceProvider>? build = null)
    {
        ServiceProvider services;
        try
        {
            services = (build ?? ((settings, v) => Services(settings, v)))(LoadSettings(parse, config), parse.GetValue(verbose));
        }
        catch (ConfigurationException e)
        {
            return (null, BadConfiguration(e));
        }

        if (await PrepareStoreAsync(services, cancellationToken) is { } storeProblem)
        {
            await services.DisposeAsync();
            await Console.Error.WriteLineAsync($"{prefix}: {storeProblem}");
            return (null, ExitCodes.BadConfiguration);
        }

        return (services, ExitCodes.Ok);
    }

    /// <summary>The store of a command's services made usable (see <see cref="PrepareStoreAsync(IStore, Migrator, StoreUser, CancellationToken)"/>).</summary>
    public static Task<string?> PrepareStoreAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        PrepareStoreAsync(services.GetRequiredService<IStore>(), services.GetRequiredService<Migrator>(), StoreUser.Command, cancellationToken);

    /// <summary>
    /// Makes the store usable for <paramref name="user"/>: the schema is created or upgraded on the spot
    /// when <see cref="Migrator.MayMigrate"/> allows it, else refused with what to run. Null when fine,
    /// else the problem.
    /// </summary>
    public static async Task<string?> PrepareStoreAsync(IStore store, Migrator migrator, StoreUser user, CancellationToken cancellationToken)
    {
        try
        {
            await migrator.PrepareAsync(user, cancellationToken);
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
