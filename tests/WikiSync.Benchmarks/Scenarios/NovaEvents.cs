using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace WikiSync.Benchmarks.Scenarios;

/// <summary>
/// The benchmark's own ear on Nova's notifications (a server-named, exclusive queue on exchange <c>nova</c>):
/// when each server's <c>instance.create.end</c> says it was made, by Nova's own timestamp, which is where
/// issue 13 §4 measures boot → page from.
/// </summary>
public sealed class NovaEvents : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _created = new(StringComparer.Ordinal);

    private NovaEvents(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    /// <summary><c>instance.create.end</c> timestamps by server name (display_name).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Created => _created;

    public static async Task<NovaEvents> ListenAsync(Uri url, CancellationToken ct)
    {
        var connection = await new ConnectionFactory { Uri = url }.CreateConnectionAsync("wikisync-bench", ct);
        var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        var events = new NovaEvents(connection, channel);
        // As oslo.messaging declares it: a topic exchange, not durable.
        await channel.ExchangeDeclareAsync("nova", ExchangeType.Topic, durable: false, autoDelete: false, cancellationToken: ct);
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: ct);
        await channel.QueueBindAsync(queue.QueueName, "nova", "versioned_notifications.info", cancellationToken: ct);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            events.Read(delivery.Body.Span);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, ct);
        return events;
    }

    private void Read(ReadOnlySpan<byte> body)
    {
        using var envelope = JsonDocument.Parse(Encoding.UTF8.GetString(body));
        if (!envelope.RootElement.TryGetProperty("oslo.message", out var inner) || inner.GetString() is not { } text)
            return;
        using var message = JsonDocument.Parse(text);
        var root = message.RootElement;
        if (root.GetProperty("event_type").GetString() != "instance.create.end")
            return;
        var name = root.GetProperty("payload").GetProperty("nova_object.data").GetProperty("display_name").GetString() ?? "";
        // oslo's "2026-12-02 15:54:31.684343", UTC.
        var at = DateTimeOffset.ParseExact(root.GetProperty("timestamp").GetString()!, "yyyy-MM-dd HH:mm:ss.FFFFFF",
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        _created.TryAdd(name, at);
    }

    /// <summary>Deletes a durable queue a run under measurement declared, so nothing keeps collecting Nova's messages after the benchmark.</summary>
    public async Task DeleteQueueAsync(string queue, CancellationToken ct) =>
        await _channel.QueueDeleteAsync(queue, cancellationToken: ct);

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
