using System.Data.Common;
using WikiSync.Notifications;
using WikiSync.Storage;
using WikiSync.Wiki;

namespace WikiSync.Hosting;

public sealed record HealthReport(bool Ready, IReadOnlyList<string> Problems);

/// <summary>
/// Ready when the store answers a query and the wiki answers a read, each within a few seconds, and, when
/// OpenStack notifications are configured, RabbitMQ is connected (else pages lag until their next pass).
/// </summary>
public sealed class HealthProbe(IStore store, IWikiSite wiki, RunSettings settings, NotificationState notifications)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var storeCheck = Probe("store", async token =>
        {
            await using var connection = await store.OpenAsync(token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(token);
        }, cancellationToken);
        var wikiCheck = Probe("wiki", async token => await wiki.ReadPagesAsync([settings.ShutoffPage], token), cancellationToken);
        foreach (var problem in await Task.WhenAll(storeCheck, wikiCheck))
        {
            if (problem is not null)
                problems.Add(problem);
        }

        if (notifications.Snapshot() is { Unhealthy: true } heard)
            problems.Add("notifications: not connected to RabbitMQ" + (heard.Problem is { } why ? $" ({why})" : ""));

        return new HealthReport(problems.Count == 0, problems);
    }

    private static async Task<string?> Probe(string what, Func<CancellationToken, Task> check, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        try
        {
            await check(limit.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{what}: no answer within {Limit.TotalSeconds:0} s";
        }
        catch (Exception e) when (e is DbException or WikiApiException or HttpRequestException or IOException or InvalidOperationException or TimeoutException)
        {
            return $"{what}: {e.Message}";
        }
    }
}
