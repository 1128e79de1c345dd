using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Quartz;
using WikiSync.Notifications;
using WikiSync.Storage;
using WikiSync.Sync;
using WikiSync.Wiki;
using WikiSync.Scheduling;

namespace WikiSync.Hosting;

/// <summary>
/// Builds the long-running host of <c>wikisync run</c>: the Quartz scheduler on the persistent store,
/// the leader election (IRC), the emergency stop monitor and, when a port is set, the HTTP endpoints.
/// The sync flow itself (runner, wiki, store, job catalog, SAL reader) comes from <c>configureCore</c>.
/// </summary>
public static class WikiSyncHost
{
    public static IHost Build(RunSettings settings, Action<IServiceCollection> configureCore, Action<ILoggingBuilder>? logging = null)
    {
        if (settings.HttpPort > 0)
        {
            var web = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
            web.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, settings.HttpPort));
            Configure(web, settings, configureCore, logging);
            var app = web.Build();
            app.Use(HostCheck.Middleware(settings.PublicHost));
            app.MapWikiSync();
            return app;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        Configure(builder, settings, configureCore, logging);
        return builder.Build();
    }

    private static void Configure(IHostApplicationBuilder builder, RunSettings settings, Action<IServiceCollection> configureCore, Action<ILoggingBuilder>? logging)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ssZ ";
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        // Quartz and ASP.NET Core narrate every step at Information; their warnings still show.
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        logging?.Invoke(builder.Logging);

        var services = builder.Services;
        configureCore(services);
        AddHosting(services, settings);
    }

    /// <summary>Everything of the host except the core flow; public so tests can build a host around fakes.</summary>
    public static IServiceCollection AddHosting(this IServiceCollection services, RunSettings settings)
    {
        services.AddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<JobRunHistory>();
        services.AddSingleton(_ => new RequestGuard(settings.HttpToken));
        services.TryAddSingleton<ISalBacklogReader, NoSalBacklog>();
        services.TryAddSingleton<IEditJournal>(sp => new StoreEditJournal(sp.GetRequiredService<EditLogStore>()));
        services.TryAddSingleton<IProjectNames>(new FixedProjectNames([]));
        services.AddSingleton<PrometheusMetrics>();
        services.RemoveAll<IWikiSyncMetrics>();
        services.AddSingleton<IWikiSyncMetrics>(sp => sp.GetRequiredService<PrometheusMetrics>());
        // The runner comes gated from the core (Composition.AddWikiSync): the host adds no second gate.
        if (!services.Any(d => d.ServiceType == typeof(ISyncRunner)))
            throw new InvalidOperationException("No ISyncRunner is registered: the core services must be added before the host's.");
        Decorate<IWikiSite>(services, (sp, inner) => new MeteredWikiSite(inner, sp.GetRequiredService<IWikiSyncMetrics>()));

        services.TryAddSingleton(NotificationState.NotConfigured);
        services.AddSingleton<HealthProbe>();
        services.AddSingleton<StatusService>();
        services.AddSingleton<RefreshService>();
        services.AddTransient<SyncJob>();
        services.AddTransient<SalSweepJob>();

        // Hosted services start in this order and stop in the reverse one: the schedule is in place
        // before the scheduler starts, and refreshes finish before the scheduler is shut.
        services.AddHostedService<ScheduleRegistrar>();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "WikiSync";
                o.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs;
                if (settings.IsClustered)
                    o.GenerateInstanceId = true;
            });
            q.UseDefaultThreadPool(o => o.MaxConcurrency = 4);
            q.UsePersistentStore(store =>
            {
                store.ProvisionSchema();
                store.ConfigureStore(o =>
                {
                    o.MisfireThreshold = settings.MisfireThreshold;
                    o.StoreJobDataAsStrings = true;
                });
                if (settings.IsClustered)
                {
                    store.UsePostgres(settings.Store!);
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = settings.ClusterCheckinInterval;
                        c.CheckinMisfireThreshold = settings.ClusterCheckinInterval;
                    });
                }
                else
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(settings.SqliteFile)!);
                    store.UseSqlite($"Data Source={settings.SqliteFile};Pooling=True");
                }
            });
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddHostedService<RefreshStopper>();

        services.AddSingleton<ShutoffMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<ShutoffMonitor>());
        services.AddSingleton<LeaderElection>();
        services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<LeaderElection>());
        services.AddHostedService(sp => sp.GetRequiredService<LeaderElection>());

        services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        return services;
    }

    /// <summary>Replaces the last registration of <typeparamref name="T"/> by <paramref name="wrap"/> around it.</summary>
    private static void Decorate<T>(IServiceCollection services, Func<IServiceProvider, T, T> wrap)
        where T : class
    {
        if (services.LastOrDefault(d => d.ServiceType == typeof(T)) is not { } inner)
            return;
        services.Remove(inner);
        services.AddSingleton(sp =>
        {
            var original = inner switch
            {
                { ImplementationInstance: T instance } => instance,
                { ImplementationFactory: { } factory } => (T)factory(sp),
                { ImplementationType: { } type } => (T)ActivatorUtilities.CreateInstance(sp, type),
                _ => throw new InvalidOperationException($"The {typeof(T).Name} registration cannot be decorated."),
            };
            return wrap(sp, original);
        });
    }

    /// <summary>On shutdown, lets refreshes in progress finish the page in hand before the scheduler stops.</summary>
    private sealed class RefreshStopper(RefreshService refresh) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => refresh.StopAsync();
    }
}
