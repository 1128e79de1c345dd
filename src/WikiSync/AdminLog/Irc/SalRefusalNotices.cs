using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace WikiSync.AdminLog.Irc;

/// <summary>
/// Tells the author of an entry the wiki refused, once, in the channel the entry came from, addressed to
/// the nick as every answer of the bot is. The store records who told (<see cref="LogEntryStore.ClaimRefusalNoticeAsync"/>),
/// so a restart or another node never tells again. It looks when the publisher of this process refuses
/// an entry, when the bot joins a channel, and every <see cref="Interval"/> (a refusal found by another
/// node, or while the bot was away). An entry that did not come from a channel the bot is in waits.
/// </summary>
public sealed class SalRefusalNotices(LogEntryStore store, TimeProvider time, ILogger<SalRefusalNotices> log)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Asks for a look now (the publisher has just refused an entry).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Tells refusals through <paramref name="bot"/> until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(IrcBot bot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bot);
        void Joined(object? sender, string channel) => Wake();
        bot.Joined += Joined;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                await Task.WhenAny(_wake.Reader.WaitToReadAsync(timer.Token).AsTask(), Task.Delay(Interval, time, timer.Token));
                await timer.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
                _wake.Reader.TryRead(out _);
                try
                {
                    await TellAsync(bot, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning("Could not tell the authors of refused SAL entries on IRC; trying again later: {Reason}", e.Message);
                }
            }
        }
        finally
        {
            bot.Joined -= Joined;
        }
    }

    /// <summary>Tells every refusal not told yet whose channel the bot is in; returns how many it told.</summary>
    public async Task<int> TellAsync(IrcBot bot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bot);
        var told = 0;
        foreach (var refused in await store.RefusedUntoldAsync(bot.JoinedChannels, cancellationToken))
        {
            var entry = refused.Entry;
            if (!await store.ClaimRefusalNoticeAsync(entry.Id, time.GetUtcNow(), cancellationToken))
                continue;
            bot.Say(entry.Channel, Notice(refused), essential: true);
            log.LogInformation("Told {Author} in {Channel} that SAL entry {Id} was refused", entry.Author, entry.Channel, entry.Id);
            told++;
        }

        return told;
    }

    /// <summary>The line: what happened and what an operator can do first, the wiki's reason last (a long one is cut).</summary>
    public static string Notice(StoredLogEntry refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var entry = refused.Entry;
        return $"{entry.Author}: the wiki refused SAL entry {entry.Id} ({entry.Project}), so it is not on the wiki; it is kept. "
            + $"An operator can run `wikisync sal retry {entry.Id}` once the wiki allows it, or `wikisync sal hide {entry.Id}`. "
            + $"Reason: {refused.Reason}";
    }
}
