using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WikiSync.Configuration;
using WikiSync.Hosting;

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

    /// <summary>Prints a configuration problem (each one a line, file:line:column first) and returns exit code 2.</summary>
    public static int BadConfiguration(ConfigurationException e)
    {
        foreach (var problem in e.Problems)
            Console.Error.WriteLine($"wikisync: {problem}");
        return ExitCodes.BadConfiguration;
    }
}
