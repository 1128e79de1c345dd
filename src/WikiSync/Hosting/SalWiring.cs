using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WikiSync.AdminLog;
using WikiSync.AdminLog.Irc;
using WikiSync.Configuration;

namespace WikiSync.Hosting;

/// <summary>
/// The Server Admin Log inside <c>wikisync run</c>: the publisher loop on every node, the IRC bot only on
/// the leader (run by <see cref="LeaderElection"/>, so the status page says who holds it), and the SAL
/// backlog for the status page and /metrics.
/// </summary>
public static class SalWiring
{
    public static IServiceCollection AddSalForRun(this IServiceCollection services, WikiSyncSettings settings, RunSettings run)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(run);
        // Irc = null: the bot is the leader's work here, not the SAL service's own.
        services.AddServerAdminLog(new ServerAdminLogOptions { WikiIndexUrl = run.WikiIndex ?? "", Irc = null, NickToUser = settings.Irc.Nicks ?? [] });
        services.AddSingleton<ISalBacklogReader, StoreSalBacklog>();
        if (IrcOptions(settings.Irc) is { } irc)
        {
            services.AddSingleton<ILeaderWork>(sp => new IrcLeaderWork(SalIrcBot.Create(
                irc, sp.GetRequiredService<LogIntake>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<IrcBot>>()),
                sp.GetRequiredService<SalRefusalNotices>()));
        }

        return services;
    }

    /// <summary>The bot's options, with the per-channel rules (bound project, who may log, masks).</summary>
    internal static IrcBotOptions? IrcOptions(IrcSettings irc) => ServerAdminLogSettings.Irc(irc);

    private sealed class IrcLeaderWork(IrcBot bot, SalRefusalNotices notices) : ILeaderWork
    {
        public string Name => "IRC bot";

        public Task RunAsync(CancellationToken leadershipLost) => SalIrcBot.RunAsync(bot, notices, leadershipLost);
    }

    private sealed class StoreSalBacklog(LogEntryStore store) : ISalBacklogReader
    {
        public async Task<SalBacklog> ReadAsync(CancellationToken cancellationToken)
        {
            var summary = await store.SummarizeUnpublishedAsync(cancellationToken);
            var projects = summary.Count == 0 ? [] : await store.ProjectsWithUnpublishedAsync(cancellationToken);
            var (refusedCount, refused) = await store.SummarizeRefusedAsync(SalBacklog.RefusedShown, cancellationToken);
            return new SalBacklog(summary.Count, summary.OldestReceivedUtc, projects) { RefusedCount = refusedCount, Refused = refused };
        }
    }
}
