using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace WikiSync.IntegrationTests.Support;

/// <summary>A person on IRC, as small as can be: registers, joins, says lines, and collects what it hears.</summary>
public sealed class IrcPerson : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private StreamWriter _writer = null!;
    private Task _reader = Task.CompletedTask;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _heard = new();
    private readonly TaskCompletionSource _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private IrcPerson(string nick) => Nick = nick;

    public string Nick { get; }

    /// <summary>Every line received, in order.</summary>
    public IReadOnlyList<string> Heard => [.. _heard];

    public static async Task<IrcPerson> ConnectAsync(string host, int port, string nick, CancellationToken ct = default)
    {
        var client = new IrcPerson(nick);
        await client._tcp.ConnectAsync(host, port, ct);
        client._tcp.NoDelay = true;
        var stream = client._tcp.GetStream();
        client._writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        client._reader = client.ReadAsync(new StreamReader(stream, Encoding.UTF8));
        await client.SendAsync($"NICK {nick}", ct);
        await client.SendAsync($"USER {nick} 0 * :WikiSync test person", ct);
        await client._welcome.Task.WaitAsync(TimeSpan.FromSeconds(20), ct);
        return client;
    }

    public async Task JoinAsync(string channel, CancellationToken ct = default)
    {
        await SendAsync($"JOIN {channel}", ct);
        await WaitForAsync(l => l.Contains($" 366 {Nick} {channel} ", StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(10), ct);
    }

    /// <summary>Waits until <paramref name="nick"/> is in the channel (asks NAMES until it is).</summary>
    public async Task WaitForNickAsync(string channel, string nick, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var before = _heard.Count;
            await SendAsync($"NAMES {channel}", ct);
            await WaitForAsync(l => l.Contains($" 366 {Nick} ", StringComparison.Ordinal), TimeSpan.FromSeconds(5), ct, skip: before);
            if (_heard.Skip(before).Any(l => l.Contains(" 353 ", StringComparison.Ordinal) &&
                    l[(l.LastIndexOf(':') + 1)..].Split(' ').Any(n => n.TrimStart('@', '+').Equals(nick, StringComparison.OrdinalIgnoreCase))))
                return;
            await Task.Delay(250, ct);
        }
        throw new TimeoutException($"{nick} did not join {channel} within {timeout}");
    }

    public Task SayAsync(string channel, string text, CancellationToken ct = default) => SendAsync($"PRIVMSG {channel} :{text}", ct);

    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken ct = default, int skip = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_heard.Skip(skip).FirstOrDefault(match) is { } line)
                return line;
            await Task.Delay(20, ct);
        }
        throw new TimeoutException($"{Nick} did not hear the line it waited for within {timeout}");
    }

    public async Task SendAsync(string line, CancellationToken ct = default)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            await _writer.WriteLineAsync(line.AsMemory(), ct);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadAsync(StreamReader reader)
    {
        try
        {
            while (!_stop.IsCancellationRequested && await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                _heard.Enqueue(line);
                if (line.StartsWith("PING", StringComparison.Ordinal))
                    await SendAsync("PONG" + line[4..]);
                else if (line.Contains(" 001 ", StringComparison.Ordinal))
                    _welcome.TrySetResult();
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync("QUIT :bye");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
        await _stop.CancelAsync();
        _tcp.Dispose();
        await _reader;
        _stop.Dispose();
        _writeLock.Dispose();
    }
}
