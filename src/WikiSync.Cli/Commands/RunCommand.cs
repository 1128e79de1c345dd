using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WikiSync.Configuration;
using WikiSync.Hosting;
using WikiSync.Jobs;
using WikiSync.Notifications;
using WikiSync.Storage;
using WikiSync.Composition;
using WikiSync.Scheduling;

namespace WikiSync.Cli.Commands;

/// <summary>
/// <c>wikisync run [--config FILE]</c>: the long-running host — every job on its schedule (Quartz, on the
/// store), the SAL publisher and, on the leader node, the IRC bot, the emergency-stop watch and the HTTP
/// port. SIGTERM / Ctrl-C finish the page in hand, then stop (exit 0). Exit 2 for bad configuration or a
/// store it may not bring up to date itself (<see cref="Migrator.MayMigrate"/>); 1 when a part of the
/// host failed and stopped it.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var verbose = CommonOptions.Verbose();
        var command = new Command("run", "Run the service: scheduled jobs, the IRC bot on the leader node, and the HTTP port.")
        {
            config, verbose,
        };
        command.SetAction(async (parse, ct) =>
        {
            WikiSyncSettings settings;
            try
            {
                settings = CommonOptions.LoadSettings(parse, config);
                SyncCommand.Validate(settings);
            }
            catch (ConfigurationException e)
            {
                return CommonOptions.BadConfiguration(e);
            }

            var run = RunSettingsFactory.From(settings);
            if (await PrepareStoreAsync(settings, ct) is { } problem)
            {
                await Console.Error.WriteLineAsync($"wikisync run: {problem}");
                return ExitCodes.BadConfiguration;
            }

            using var host = WikiSyncHost.Build(run, services =>
            {
                services.AddWikiSyncStore(settings.Store, settings.Data);
                services.AddWikiSync(settings);
                services.AddSingleton<IProjectNames, InventoryProjectNames>();
                services.AddSalForRun(settings, run);
                services.AddNotifications(settings.OpenStack?.Notifications);
            }, logging =>
            {
                if (parse.GetValue(verbose))
                    logging.SetMinimumLevel(LogLevel.Debug);
            });
            ReportBrokenJobs(host.Services);
            // The host handles SIGTERM and Ctrl-C itself (System.CommandLine is told not to).
            return await RunToTheEndAsync(host);
        });
        return command;
    }

    /// <summary>
    /// Null when the store can be used; else what to do. An empty SQLite store gets its schema here, so the
    /// first run on a fresh state folder just starts; anything else follows <see cref="Migrator.MayMigrate"/>.
    /// </summary>
    internal static async Task<string?> PrepareStoreAsync(WikiSyncSettings settings, CancellationToken cancellationToken)
    {
        IStore store;
        try
        {
            store = StoreFactory.Create(settings.Store, settings.Data);
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }

        try
        {
            return await CommonOptions.PrepareStoreAsync(store, new Migrator(store), StoreUser.Service, cancellationToken);
        }
        finally
        {
            if (store is IAsyncDisposable disposable)
                await disposable.DisposeAsync();
        }
    }

    /// <summary>
    /// Runs the host until it stops: exit 0 after SIGTERM / Ctrl-C, 1 when a background service failed.
    /// .NET then stops the host and <c>RunAsync</c> returns just as after a Ctrl-C, and a service manager
    /// must not read that as a clean stop.
    /// </summary>
    internal static async Task<int> RunToTheEndAsync(IHost host)
    {
        // Taken before the run: RunAsync disposes the host's services when it returns.
        var parts = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        await host.RunAsync();
        return parts.Any(p => p.ExecuteTask is { IsFaulted: true }) ? ExitCodes.Failed : ExitCodes.Ok;
    }

    /// <summary>A broken job file is skipped with its file:line:column, and the others run.</summary>
    private static void ReportBrokenJobs(IServiceProvider services)
    {
        var catalog = services.GetRequiredService<JobCatalog>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("WikiSync.Run");
        foreach (var problem in catalog.Problems)
            log.LogError("Job skipped: {Problem}", problem.ToString());
        log.LogInformation("Scheduling {Count} jobs: {Jobs}", catalog.ScheduledJobs().Count, string.Join(", ", catalog.ScheduledJobs().Select(j => $"{j.Name} ({j.Schedule})")));
    }
}
