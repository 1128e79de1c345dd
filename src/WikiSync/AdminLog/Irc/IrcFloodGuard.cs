namespace WikiSync.AdminLog.Irc;

/// <summary>
/// How many <c>!log</c> commands the bot takes: a burst, then a steady rate, per nick and per channel. The
/// bursts let a deploy script log 25 lines at once from each of several nicks (issue 3's burst of 100).
/// </summary>
public sealed record IrcFloodLimits
{
    /// <summary>Commands one nick may send at once (irc: nick_burst).</summary>
    public int NickBurst { get; init; } = 30;

    /// <summary>Commands one nick may send per minute after its burst (irc: nick_per_minute).</summary>
    public int NickPerMinute { get; init; } = 30;

    /// <summary>Commands one channel takes at once, all nicks together (irc: channel_burst).</summary>
    public int ChannelBurst { get; init; } = 120;

    /// <summary>Commands one channel takes per minute after its burst (irc: channel_per_minute).</summary>
    public int ChannelPerMinute { get; init; } = 240;

    /// <summary>A refused nick is told at most this often; other refusals are silent.</summary>
    public TimeSpan RefusalNotice { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>What became of a command under the limits.</summary>
public enum FloodDecision
{
    Take,

    /// <summary>Refused, and the sender is told (the first refusal of this minute).</summary>
    RefuseAndTell,

    /// <summary>Refused silently: the sender was told less than a minute ago.</summary>
    RefuseQuietly,
}

/// <summary>
/// Token buckets per nick and per channel on the bot's <see cref="TimeProvider"/>. The nick's bucket is
/// asked first and a refused command takes nothing from the channel's, so one flooder cannot use up a
/// channel's budget and hold back everyone else. Used from the bot's one reading loop only.
/// </summary>
public sealed class IrcFloodGuard(IrcFloodLimits limits, TimeProvider time)
{
    /// <summary>A bucket unused this long is full again, so it is forgotten (the maps stay small).</summary>
    private static readonly TimeSpan Forget = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, Bucket> _nicks = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Bucket> _channels = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DateTimeOffset> _told = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    public FloodDecision Check(string channel, string nick)
    {
        var now = time.GetUtcNow();
        Sweep(now);
        var nickBucket = Get(_nicks, nick, limits.NickBurst, now);
        var channelBucket = Get(_channels, channel, limits.ChannelBurst, now);
        nickBucket.Refill(now, limits.NickBurst, limits.NickPerMinute);
        channelBucket.Refill(now, limits.ChannelBurst, limits.ChannelPerMinute);
        if (nickBucket.Tokens >= 1 && channelBucket.Tokens >= 1)
        {
            nickBucket.Tokens--;
            channelBucket.Tokens--;
            return FloodDecision.Take;
        }

        if (_told.TryGetValue(nick, out var told) && now - told < limits.RefusalNotice)
            return FloodDecision.RefuseQuietly;
        _told[nick] = now;
        return FloodDecision.RefuseAndTell;
    }

    private static Bucket Get(Dictionary<string, Bucket> buckets, string key, int burst, DateTimeOffset now)
    {
        if (!buckets.TryGetValue(key, out var bucket))
            buckets[key] = bucket = new Bucket { Tokens = burst, Updated = now };
        return bucket;
    }

    private void Sweep(DateTimeOffset now)
    {
        if (now - _lastSweep < Forget)
            return;
        _lastSweep = now;
        foreach (var map in new[] { _nicks, _channels })
        {
            foreach (var key in map.Where(p => now - p.Value.Updated > Forget).Select(p => p.Key).ToList())
                map.Remove(key);
        }

        foreach (var key in _told.Where(p => now - p.Value > Forget).Select(p => p.Key).ToList())
            _told.Remove(key);
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public DateTimeOffset Updated { get; set; }

        public void Refill(DateTimeOffset now, int burst, int perMinute)
        {
            var elapsed = (now - Updated).TotalMinutes;
            if (elapsed > 0)
                Tokens = Math.Min(burst, Tokens + (elapsed * perMinute));
            Updated = now;
        }
    }
}
