using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WikiSync.Sources.OpenStack;

namespace WikiSync.Notifications;

public static class NotificationServices
{
    /// <summary>
    /// <c>wikisync run</c>'s notifications: when <paramref name="options"/> names a broker, the consumer, the
    /// debouncer, the refresher and the sweep; always the <see cref="NotificationState"/> (health and status).
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, NotificationsOptions? options)
    {
        if (options is not { IsConfigured: true })
        {
            services.TryAddSingleton(NotificationState.NotConfigured);
            return services;
        }

        services.AddSingleton(options);
        services.AddSingleton(new NotificationState(configured: true));
        services.TryAddSingleton(new PendingSweepTimings());
        services.AddSingleton<NotificationRefresher>();
        services.AddSingleton(sp =>
        {
            var refresher = sp.GetRequiredService<NotificationRefresher>();
            return new RefreshDebouncer(TimeSpan.FromMilliseconds(options.DebounceMs), TimeSpan.FromMilliseconds(options.MaxDelayMs),
                sp.GetRequiredService<TimeProvider>(), refresher.RefreshAsync);
        });
        services.AddSingleton<NotificationHandler>();
        services.AddHostedService<NotificationConsumer>();
        services.AddHostedService<PendingSweep>();
        return services;
    }
}
