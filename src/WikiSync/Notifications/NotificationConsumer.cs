using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using WikiSync.Redaction;
using WikiSync.Sources.OpenStack;

namespace WikiSync.Notifications;

/// <summary>
/// <c>wikisync run</c>'s ear on OpenStack: its own durable queue (<c>openstack.notifications.queue</c>, shared by
/// the nodes of one deployment, so each message goes to one node) bound to Nova's versioned notifications and
/// Keystone's; never a queue another consumer reads. A message is acknowledged once handled (its refresh stored
/// as pending); one the store could not take goes back to the queue. RabbitMQ down: logged, tried again with a
/// backoff of 1 to 30 s; the schedules go on meanwhile.
/// </summary>
public sealed class NotificationConsumer(
    NotificationsOptions options,
    NotificationHandler handler,
    NotificationState state,
    TimeProvider time,
    ILogger<NotificationConsumer> log) : BackgroundService
{
    /// <summary>Where oslo.messaging publishes (exchange, routing key): Nova's versioned notifications and Keystone's.</summary>
    public static IReadOnlyList<(string Exchange, string RoutingKey)> Bindings { get; } =
    [
        ("nova", "versioned_notifications.info"),
        ("keystone", "notifications.info"),
    ];

    /// <summary>Unacknowledged messages RabbitMQ hands this node at once: a burst is read while the first refresh runs.</summary>
    public const ushort Prefetch = 200;

    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan StoreRetry = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var url = Redact.Url(options.Url);
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var reason = await ListenAsync(url, stoppingToken);
                // It was up: the next try comes soon.
                retry = FirstRetry;
                log.LogWarning("Lost the connection to RabbitMQ {Url}: {Reason}; connecting again in {Retry} s", url, reason, retry.TotalSeconds);
                state.Disconnected(reason, time.GetUtcNow());
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                var reason = Redact.Text(e.InnerException?.Message is { Length: > 0 } inner ? $"{e.Message} ({inner})" : e.Message);
                log.LogWarning("RabbitMQ {Url} cannot be used: {Reason}; trying again in {Retry} s", url, reason, retry.TotalSeconds);
                state.Disconnected(reason, time.GetUtcNow());
            }

            try
            {
                await Task.Delay(retry, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
        }
    }

    /// <summary>Connects, declares and consumes until the connection or channel closes; returns why it closed.</summary>
    private async Task<string> ListenAsync(string url, CancellationToken stoppingToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(options.Url!),
            // Reconnection is this loop's (with its log lines and status), not the client's.
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
            ClientProvidedName = "wikisync " + Environment.MachineName,
        };
        await using var connection = await factory.CreateConnectionAsync(stoppingToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionShutdownAsync += (_, e) =>
        {
            closed.TrySetResult(e.ReplyText);
            return Task.CompletedTask;
        };
        channel.ChannelShutdownAsync += (_, e) =>
        {
            closed.TrySetResult(e.ReplyText);
            return Task.CompletedTask;
        };

        await channel.QueueDeclareAsync(options.Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: stoppingToken);
        foreach (var (exchange, key) in Bindings)
        {
            // As oslo.messaging declares them (topic, not durable): declaring first lets the binding exist before the service's first message.
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: false, autoDelete: false, cancellationToken: stoppingToken);
            await channel.QueueBindAsync(options.Queue, exchange, key, cancellationToken: stoppingToken);
        }
        await channel.BasicQosAsync(0, Prefetch, global: false, stoppingToken);

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => OnMessageAsync(channel, delivery, stoppingToken);
        await channel.BasicConsumeAsync(options.Queue, autoAck: false, consumer, stoppingToken);
        state.Connected(time.GetUtcNow());
        log.LogInformation("Listening to OpenStack notifications on RabbitMQ {Url}, queue {Queue}", url, options.Queue);

        var reason = await closed.Task.WaitAsync(stoppingToken);
        return string.IsNullOrEmpty(reason) ? "closed" : reason;
    }

    private async Task OnMessageAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        try
        {
            await handler.HandleAsync(delivery.Body, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Not acknowledged: RabbitMQ gives it to another node, or to this one after its restart.
            return;
        }
        catch (Exception e)
        {
            log.LogError(e, "A notification could not be stored as pending ({Reason}); it goes back to the queue", e.Message);
            await Task.Delay(StoreRetry, time, stoppingToken);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, stoppingToken);
            return;
        }
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
    }
}
