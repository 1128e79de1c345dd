using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace WikiSync.AdminLog.Irc;

/// <summary>A line said in a channel the bot is in.</summary>
public sealed record IrcChannelMessage(string Channel, IrcUser Sender, string Text);

/// <summary>
/// A line for a channel. <see cref="Essential"/>: an acknowledgement of a stored entry, which is never dropped;
/// the others (help, refusals) are dropped when <see cref="IrcBotOptions.MaxQueuedReplies"/> of them wait already.
/// </summary>
public sealed record IrcReply(string Text, bool Essential = false);

/// <summary>
/// A small IRC client of our own: connects (TLS optional), registers (PASS, NICK, USER; a nick in use gets
/// a <c>_</c> appended), joins the channels, answers PING, reconnects with backoff after a drop, and sends
/// its replies from a queue no faster than one per <see cref="IrcBotOptions.ReplyInterval"/>. Every channel
/// line goes to the handler, one at a time and in the order received, apart from the read loop (a handler that
/// waits on a slow inventory never holds up a PING's answer); a non-null answer is queued as the reply.
/// A line over 512 bytes (RFC 1459's limit, IRCv3 tags not counted) is discarded unread.
/// </summary>
public sealed class IrcBot
{
    private const int MaxReplyBytes = 400;

    /// <summary>RFC 1459: a line is at most 512 bytes with its CR LF.</summary>
    public const int MaxLineBytes = 512;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly IrcBotOptions _options;
    private readonly Func<IrcChannelMessage, CancellationToken, Task<IrcReply?>> _handler;
    private readonly TimeProvider _time;
    private readonly ILogger<IrcBot> _log;
    private readonly Channel<IrcReply> _outbox = Channel.CreateUnbounded<IrcReply>();
    private int _optionalQueued;
    private readonly Channel<IrcChannelMessage> _inbox = Channel.CreateUnbounded<IrcChannelMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _joined = new(StringComparer.OrdinalIgnoreCase);

    public IrcBot(IrcBotOptions options, Func<IrcChannelMessage, CancellationToken, Task<IrcReply?>> handler, TimeProvider time, ILogger<IrcBot> log)
    {
        _options = options;
        _handler = handler;
        _time = time;
        _log = log;
        CurrentNick = options.Nick;
    }

    /// <summary>The nick the server knows us by (the configured one, or with <c>_</c> appended).</summary>
    public string CurrentNick { get; private set; }

    /// <summary>Raised when the bot has joined a channel (after each (re)connect).</summary>
    public event EventHandler<string>? Joined;

    public IReadOnlyCollection<string> JoinedChannels
    {
        get
        {
            lock (_joined)
            {
                return [.. _joined];
            }
        }
    }

    /// <summary>Connects and stays connected until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var handling = HandleLinesAsync(cancellationToken);
        try
        {
            await StayConnectedAsync(cancellationToken);
        }
        finally
        {
            await handling.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task StayConnectedAsync(CancellationToken cancellationToken)
    {
        var backoff = _options.FirstReconnect;
        while (!cancellationToken.IsCancellationRequested)
        {
            var registered = false;
            try
            {
                registered = await RunConnectionAsync(cancellationToken);
                _log.LogWarning("IRC connection to {Host}:{Port} closed", _options.Host, _options.Port);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                _log.LogWarning("IRC connection to {Host}:{Port} failed: {Reason}", _options.Host, _options.Port, e.Message);
            }

            lock (_joined)
            {
                _joined.Clear();
            }

            if (registered)
            {
                backoff = _options.FirstReconnect;
            }

            _log.LogInformation("Reconnecting to IRC in {Seconds} s", backoff.TotalSeconds);
            await Task.Delay(backoff, _time, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxReconnect.Ticks));
        }
    }

    /// <summary>
    /// Queues a line for a channel; it goes out paced, after any replies already waiting. A line that is not
    /// <paramref name="essential"/> is dropped (false) when the queue holds its bound of such lines.
    /// </summary>
    public bool Say(string channel, string text, bool essential = false)
    {
        if (!essential && Interlocked.Increment(ref _optionalQueued) > _options.MaxQueuedReplies)
        {
            Interlocked.Decrement(ref _optionalQueued);
            _log.LogDebug("Reply queue full; dropped a reply for {Channel}", channel);
            return false;
        }

        return _outbox.Writer.TryWrite(new IrcReply($"PRIVMSG {channel} :{Clean(text)}", essential));
    }

    /// <summary>Lines waiting to be sent (for tests and the status of a flood).</summary>
    public int QueuedReplies => _outbox.Reader.Count;

    private async Task<bool> RunConnectionAsync(CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(_options.Host, _options.Port, cancellationToken);
        Stream stream = tcp.GetStream();
        if (_options.Tls)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = _options.Host }, cancellationToken);
            stream = ssl;
        }

        await using var ownedStream = stream;
        using var reader = new StreamReader(stream, Utf8, detectEncodingFromByteOrderMarks: false);
        await using var writer = new StreamWriter(stream, Utf8) { NewLine = "\r\n", AutoFlush = false };
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writeGate = new SemaphoreSlim(1, 1);
        var lastHeard = _time.GetTimestamp();

        async Task SendAsync(string line)
        {
            await writeGate.WaitAsync(connection.Token);
            try
            {
                await writer.WriteLineAsync(line.AsMemory(), connection.Token);
                await writer.FlushAsync(connection.Token);
            }
            finally
            {
                writeGate.Release();
            }
        }

        _log.LogInformation("Connected to IRC {Host}:{Port} (TLS {Tls})", _options.Host, _options.Port, _options.Tls);
        CurrentNick = _options.Nick;
        if (!string.IsNullOrEmpty(_options.Password))
        {
            await SendAsync($"PASS {_options.Password}");
        }

        await SendAsync($"NICK {CurrentNick}");
        await SendAsync($"USER {_options.UserName} 0 * :{_options.RealName}");

        var registered = false;
        Task? sender = null;
        var watchdog = WatchdogAsync(() => lastHeard, SendAsync, tcp, connection.Token);
        try
        {
            while (await reader.ReadLineAsync(connection.Token) is { } raw)
            {
                lastHeard = _time.GetTimestamp();
                if (raw.Length == 0)
                {
                    continue;
                }

                if (TooLong(raw))
                {
                    _log.LogDebug("Discarded an IRC line of more than {Max} bytes", MaxLineBytes);
                    continue;
                }

                var line = IrcLine.Parse(raw);
                switch (line.Command)
                {
                    case "PING":
                        await SendAsync($"PONG :{line[0]}");
                        break;
                    case "001":
                        registered = true;
                        CurrentNick = line[0].Length > 0 ? line[0] : CurrentNick;
                        _log.LogInformation("Registered on IRC as {Nick}", CurrentNick);
                        foreach (var channel in _options.Channels)
                        {
                            await SendAsync($"JOIN {channel}");
                        }

                        sender ??= SendRepliesAsync(SendAsync, connection.Token);
                        break;
                    case "433" when !registered:
                        CurrentNick += "_";
                        _log.LogInformation("Nick in use; trying {Nick}", CurrentNick);
                        await SendAsync($"NICK {CurrentNick}");
                        break;
                    case "NICK" when IsMe(line.Prefix):
                        CurrentNick = line[0];
                        break;
                    case "JOIN" when IsMe(line.Prefix):
                        lock (_joined)
                        {
                            _joined.Add(line[0]);
                        }

                        _log.LogInformation("Joined {Channel}", line[0]);
                        Joined?.Invoke(this, line[0]);
                        break;
                    case "KICK" when string.Equals(line[1], CurrentNick, StringComparison.OrdinalIgnoreCase):
                        lock (_joined)
                        {
                            _joined.Remove(line[0]);
                        }

                        _log.LogWarning("Kicked from {Channel}; joining again", line[0]);
                        await SendAsync($"JOIN {line[0]}");
                        break;
                    case "PRIVMSG" when IsChannel(line[0]) && line.Prefix is not null && !line[1].StartsWith('\u0001'):
                        // Handed over, not awaited: the handler may wait on the inventory or the store, and the
                        // read loop must go on answering PINGs meanwhile or the server drops us.
                        _inbox.Writer.TryWrite(new IrcChannelMessage(line[0], IrcUser.Parse(line.Prefix), line[1]));
                        break;
                    case "ERROR":
                        _log.LogWarning("IRC server closed the link: {Reason}", line[0]);
                        break;
                }
            }
        }
        finally
        {
            await connection.CancelAsync();
            await Task.WhenAll(new[] { sender, watchdog }.OfType<Task>().Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            if (cancellationToken.IsCancellationRequested && tcp.Connected)
            {
                try
                {
                    await writer.WriteLineAsync("QUIT :WikiSync stopping");
                    await writer.FlushAsync(CancellationToken.None);
                }
                catch (IOException)
                {
                    // Going away anyway.
                }
            }
        }

        return registered;
    }

    /// <summary>The channel lines, one at a time and in the order received, apart from the read loop; across reconnects.</summary>
    private async Task HandleLinesAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in _inbox.Reader.ReadAllAsync(cancellationToken))
            await HandleAsync(message, cancellationToken);
    }

    private async Task HandleAsync(IrcChannelMessage message, CancellationToken cancellationToken)
    {
        IrcReply? reply;
        try
        {
            reply = await _handler(message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogError(e, "Handling a line from {Sender} in {Channel} failed", message.Sender.Mask, message.Channel);
            reply = new IrcReply($"Sorry {message.Sender.Nick}, that could not be recorded right now. Nothing logged; please try again.");
        }

        if (reply is not null)
        {
            Say(message.Channel, reply.Text, reply.Essential);
        }
    }

    private async Task SendRepliesAsync(Func<string, Task> send, CancellationToken cancellationToken)
    {
        while (await _outbox.Reader.WaitToReadAsync(cancellationToken))
        {
            // Peek, send, then take: a line whose send failed stays queued for the next connection.
            if (!_outbox.Reader.TryPeek(out var line))
            {
                continue;
            }

            await send(line.Text);
            _outbox.Reader.TryRead(out _);
            if (!line.Essential)
            {
                Interlocked.Decrement(ref _optionalQueued);
            }

            await Task.Delay(_options.ReplyInterval, _time, cancellationToken);
        }
    }

    private async Task WatchdogAsync(Func<long> lastHeard, Func<string, Task> send, TcpClient tcp, CancellationToken cancellationToken)
    {
        var pinged = false;
        var tick = TimeSpan.FromTicks(Math.Max(_options.Keepalive.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks));
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(tick, _time, cancellationToken);
            var quiet = _time.GetElapsedTime(lastHeard());
            if (quiet < _options.Keepalive)
            {
                pinged = false;
            }
            else if (!pinged)
            {
                pinged = true;
                await send($"PING :{_options.Host}");
            }
            else if (quiet >= _options.Keepalive * 2)
            {
                _log.LogWarning("IRC server silent for {Seconds} s; dropping the connection", (int)quiet.TotalSeconds);
                tcp.Dispose();
                return;
            }
        }
    }

    /// <summary>Over 512 bytes with its CR LF, not counting an IRCv3 tag prefix (<c>@…</c>, limited separately).</summary>
    internal static bool TooLong(string raw)
    {
        var line = raw.AsSpan();
        if (line.StartsWith("@"))
        {
            var space = line.IndexOf(' ');
            line = space < 0 ? [] : line[(space + 1)..];
        }

        return line.Length > MaxLineBytes || Utf8.GetByteCount(line) + 2 > MaxLineBytes;
    }

    private bool IsMe(string? prefix) =>
        prefix is not null && string.Equals(IrcUser.Parse(prefix).Nick, CurrentNick, StringComparison.OrdinalIgnoreCase);

    private static bool IsChannel(string target) => target.Length > 0 && target[0] is '#' or '&' or '+' or '!';

    /// <summary>One line, without control characters that would end it early, short enough for any server.</summary>
    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c is '\r' or '\n' or '\0' ? ' ' : c);
        }

        var clean = builder.ToString();
        if (Utf8.GetByteCount(clean) <= MaxReplyBytes)
        {
            return clean;
        }

        var cut = clean.Length;
        while (cut > 0 && Utf8.GetByteCount(clean.AsSpan(0, cut)) > MaxReplyBytes - 3)
        {
            cut--;
        }

        if (cut > 0 && char.IsHighSurrogate(clean[cut - 1]))
        {
            cut--;
        }

        return clean[..cut] + "…";
    }
}

/// <summary>
/// Wires the IRC bot to the one intake path: each channel line is a possible <c>!log</c>; commands pass the
/// flood limits first (<see cref="IrcFloodGuard"/>), and the acknowledgement of a stored entry is essential.
/// </summary>
public static class SalIrcBot
{
    public static IrcBot Create(IrcBotOptions options, LogIntake intake, TimeProvider time, ILogger<IrcBot> log)
    {
        var guard = new IrcFloodGuard(options.Flood, time);
        return new(options, async (message, cancellationToken) =>
        {
            var policy = options.PolicyFor(message.Channel);
            // Chat is not limited, only commands: a busy channel's talk never costs anyone their !log.
            if (LogCommandParser.Parse(message.Text, policy.Project) is null)
                return null;
            switch (guard.Check(message.Channel, message.Sender.Nick))
            {
                case FloodDecision.RefuseAndTell:
                    log.LogWarning("Flood limit: refusing !log from {Sender} in {Channel} for a while", message.Sender.Mask, message.Channel);
                    return new IrcReply($"{message.Sender.Nick}: too many !log lines; nothing logged. Wait a minute and try again.");
                case FloodDecision.RefuseQuietly:
                    return null;
            }

            var result = await intake.HandleChatAsync(policy, message.Sender, message.Text, cancellationToken);
            return result is null ? null : new IrcReply(result.Reply, Essential: result.Outcome == LogOutcome.Logged);
        }, time, log);
    }

    /// <summary>The bot, and beside it the telling of refused entries (<paramref name="notices"/>), until <paramref name="cancellationToken"/> fires.</summary>
    public static Task RunAsync(IrcBot bot, SalRefusalNotices notices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notices);
        return Task.WhenAll(bot.RunAsync(cancellationToken), notices.RunAsync(bot, cancellationToken));
    }
}
