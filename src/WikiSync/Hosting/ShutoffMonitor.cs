using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WikiSync.Wiki;

namespace WikiSync.Hosting;

/// <summary>The emergency stop as last seen: the sync flow checks the page itself before editing.</summary>
public sealed record ShutoffState(string Page, ShutoffStatus Status, DateTimeOffset? CheckedAt, string? Detail)
{
    public bool Engaged => Status == ShutoffStatus.Engaged;
}

public enum ShutoffStatus
{
    Unknown,
    Clear,
    Engaged,
}

/// <summary>
/// Watches the emergency stop page so the log and the status page say when WikiSync makes no edits.
/// The page stops WikiSync when it holds anything but white space.
/// </summary>
public sealed class ShutoffMonitor(IWikiSite wiki, RunSettings settings, TimeProvider time, ILogger<ShutoffMonitor> log) : BackgroundService
{
    private const int ExcerptLength = 200;

    private ShutoffState _state = new(settings.ShutoffPage, ShutoffStatus.Unknown, null, null);

    public ShutoffState State => _state;

    /// <summary>Reads the page once and updates the state; logs only when it changes.</summary>
    public async Task<ShutoffState> CheckAsync(CancellationToken cancellationToken)
    {
        var previous = _state;
        ShutoffState next;
        try
        {
            var pages = await wiki.ReadPagesAsync([settings.ShutoffPage], cancellationToken);
            var text = pages.TryGetValue(settings.ShutoffPage, out var page) && page.Exists ? page.Text : "";
            next = string.IsNullOrWhiteSpace(text)
                ? new ShutoffState(settings.ShutoffPage, ShutoffStatus.Clear, time.GetUtcNow(), null)
                : new ShutoffState(settings.ShutoffPage, ShutoffStatus.Engaged, time.GetUtcNow(), Excerpt(text));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Keep what we knew; the flow checks the page again before any edit.
            next = previous with { Detail = $"could not read the page: {e.Message}" };
            if (previous.Detail != next.Detail)
                log.LogWarning("Emergency stop page {Page} could not be read: {Reason}", settings.ShutoffPage, e.Message);
            _state = next;
            return next;
        }

        if (next.Status != previous.Status)
        {
            if (next.Engaged)
                log.LogWarning("Emergency stop engaged: {Page} is not empty; WikiSync makes no edits until it is emptied", settings.ShutoffPage);
            else if (previous.Status == ShutoffStatus.Engaged)
                log.LogInformation("Emergency stop cleared: {Page} is empty; edits resume", settings.ShutoffPage);
        }

        _state = next;
        return next;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await CheckAsync(stoppingToken);
            try
            {
                await Task.Delay(settings.ShutoffCheckInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static string Excerpt(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= ExcerptLength ? trimmed : trimmed[..ExcerptLength] + "…";
    }
}
