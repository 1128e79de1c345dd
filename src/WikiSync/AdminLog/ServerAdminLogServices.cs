using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WikiSync.AdminLog.Irc;
using WikiSync.Jobs;
using WikiSync.Sources;
using WikiSync.Sync;

namespace WikiSync.AdminLog;

/// <summary>What the Server Admin Log needs beyond the shared services (LogEntryStore, IInventorySource, ISyncRunner).</summary>
public sealed record ServerAdminLogOptions
{
    /// <summary>The wiki's index.php URL, for the links in replies.</summary>
    public required string WikiIndexUrl { get; init; }

    /// <summary>The IRC bot; null = no bot (CLI and HTTP still log).</summary>
    public IrcBotOptions? Irc { get; init; }

    /// <summary>IRC nick → wiki/directory user, for channels where only members may log.</summary>
    public IReadOnlyDictionary<string, string> NickToUser { get; init; } = new Dictionary<string, string>();

    public SalPublisherOptions Publisher { get; init; } = new();
}

public static class ServerAdminLogServices
{
    /// <summary>
    /// Registers the SAL: intake, publisher (also as <see cref="ISalSignal"/>), and for a host a
    /// background service running the publisher loop and, when configured, the IRC bot. Expects the shared
    /// services of <c>AddWikiSync</c>: <see cref="LogEntryStore"/> (registered there once, as the sync's
    /// <see cref="ILogEntryReader"/> too), <see cref="IInventorySource"/>, <see cref="ISyncRunner"/>, and the job
    /// catalog and templates (the SAL pages come from the job files).
    /// </summary>
    public static IServiceCollection AddServerAdminLog(this IServiceCollection services, ServerAdminLogOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(sp => new SalPages(options.WikiIndexUrl, sp.GetRequiredService<JobCatalog>(), sp.GetRequiredService<ISectionTemplates>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new LogAccess(options.NickToUser));
        services.AddSingleton<SalRefusalNotices>();
        services.AddSingleton(sp =>
        {
            var publisher = new SalPublisher(
                sp.GetRequiredService<ISyncRunner>(), sp.GetRequiredService<LogEntryStore>(), sp.GetRequiredService<SalPages>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SalPublisher>>(), options.Publisher);
            var notices = sp.GetRequiredService<SalRefusalNotices>();
            publisher.Refused += (_, _) => notices.Wake();
            return publisher;
        });
        services.AddSingleton<ISalSignal>(sp => sp.GetRequiredService<SalPublisher>());
        services.AddSingleton<LogIntake>();
        services.AddHostedService<ServerAdminLogService>();
        return services;
    }
}

/// <summary>For <c>wikisync run</c>: the publisher loop (which sweeps at start) and the IRC bot when configured.</summary>
internal sealed class ServerAdminLogService(
    ServerAdminLogOptions options,
    SalPublisher publisher,
    LogIntake intake,
    SalRefusalNotices notices,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tasks = new List<Task> { publisher.RunAsync(stoppingToken) };
        if (options.Irc is { } irc)
        {
            // A single node runs the bot itself; `wikisync run` passes Irc = null and runs the bot as the
            // leader's work instead (Hosting/LeaderElection), so that only one node of a cluster holds IRC.
            tasks.Add(SalIrcBot.RunAsync(SalIrcBot.Create(irc, intake, time, loggers.CreateLogger<IrcBot>()), notices, stoppingToken));
        }

        return Task.WhenAll(tasks);
    }
}
