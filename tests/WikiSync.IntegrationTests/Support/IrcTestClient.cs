using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using WikiSync.AdminLog.Irc;

namespace WikiSync.IntegrationTests.Support;

/// <summary>A raw IRC client for tests: a person in the channel who types lines and watches what others say.</summary>
public sealed class IrcTestClient : IAsyncDisposable
{
    private readonly TcpClient _tcp = new() { NoDelay = true };
    private readonly Channel<IrcLine> _lines = Channel.CreateUnbounded<IrcLine>();
    private readonly List<IrcLine> _seen = [];
    private StreamWriter? _writer;
    private Task? _reader;

    private IrcTestClient(string nick) => Nick = nick;

    public string Nick { get; }

    public static async Task<IrcTestClient> ConnectAsync(string host, int port, string nick, params string[] channels)
    {
        var client = new IrcTestClient(nick);
        await client._tcp.ConnectAsync(host, port);
        var stream = client._tcp.GetStream();
        client._writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        var reader = new StreamReader(stream, new UTF8Encoding(false));
        client._reader = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync() is { } raw)
                {
                    var line = IrcLine.Parse(raw);
                    if (line.Command == "PING")
                    {
                        await client.SendAsync($"PONG :{line[0]}");
                    }

                    client._lines.Writer.TryWrite(line);
                }
            }
            catch (IOException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            finally
            {
                client._lines.Writer.TryComplete();
            }
        });
        await client.SendAsync($"NICK {nick}");
        await client.SendAsync($"USER {nick} 0 * :test user {nick}");
        await client.WaitForAsync(l => l.Command == "001", TimeSpan.FromSeconds(10));
        foreach (var channel in channels)
        {
            await client.SendAsync($"JOIN {channel}");
            await client.WaitForAsync(l => l.Command == "366" && string.Equals(l[1], channel, StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(10));
        }

        return client;
    }

    public async Task SendAsync(string line)
    {
        await _writer!.WriteLineAsync(line);
    }

    public Task SayAsync(string channel, string text) => SendAsync($"PRIVMSG {channel} :{text}");

    /// <summary>The next line (seen before or arriving within the timeout) matching, consumed.</summary>
    public async Task<IrcLine> WaitForAsync(Func<IrcLine, bool> match, TimeSpan timeout)
    {
        lock (_seen)
        {
            var index = _seen.FindIndex(l => match(l));
            if (index >= 0)
            {
                var found = _seen[index];
                _seen.RemoveAt(index);
                return found;
            }
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cts.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    if (match(line))
                    {
                        return line;
                    }

                    lock (_seen)
                    {
                        _seen.Add(line);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"{Nick}: no matching IRC line within {timeout.TotalSeconds} s; saw: {string.Join(" | ", Snapshot().Select(l => $"{l.Command} {string.Join(' ', l.Parameters)}").TakeLast(10))}");
    }

    /// <summary>A channel message from <paramref name="from"/> (the bot) within the timeout.</summary>
    public async Task<string> ReplyFromAsync(string from, string channel, TimeSpan? timeout = null) =>
        (await WaitForAsync(
            l => l.Command == "PRIVMSG" && l.Prefix is not null && l.Prefix.StartsWith(from + "!", StringComparison.OrdinalIgnoreCase)
                 && string.Equals(l[0], channel, StringComparison.OrdinalIgnoreCase),
            timeout ?? TimeSpan.FromSeconds(15)))[1];

    /// <summary>Whether any line arrives matching within <paramref name="window"/> (for "no reply" checks).</summary>
    public async Task<bool> SeesWithinAsync(Func<IrcLine, bool> match, TimeSpan window)
    {
        try
        {
            await WaitForAsync(match, window);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private List<IrcLine> Snapshot()
    {
        lock (_seen)
        {
            return [.. _seen];
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync("QUIT :bye");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }

        _tcp.Dispose();
        if (_reader is not null)
        {
            await _reader;
        }
    }
}
