using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Demo;

/// <summary>
/// <c>scripts/demo.sh --serve</c> as a person runs it in a terminal: a session of its own (so "Ctrl-C" is
/// SIGINT to its whole process group, as a terminal sends it, and never reaches the test host), SIGINT
/// at its default disposition as a foreground job has it, and what it prints read from its stdout.
/// </summary>
public sealed partial class DemoServe : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly string _data;

    private DemoServe(Process process, string data, int ircPort, int httpPort)
    {
        _process = process;
        _data = data;
        IrcPort = ircPort;
        HttpPort = httpPort;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _stdout.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The session (and process group) of the demo: its pid, since setsid needs no fork here.</summary>
    public int Session => _process.Id;

    public int IrcPort { get; }

    public int HttpPort { get; }

    public Uri StatusPage { get; private set; } = null!;

    /// <summary>The IRC server as printed: host and port.</summary>
    public (string Host, int Port) Irc { get; private set; }

    public string Channel { get; private set; } = "";

    public string BotNick { get; private set; } = "";

    /// <summary>The <c>!log</c> line the demo says to type.</summary>
    public string LogLine { get; private set; } = "";

    public string Output => string.Join('\n', _stdout) + "\n--- stderr ---\n" + string.Join('\n', _stderr.TakeLast(60));

    [GeneratedRegex(@"^WIKISYNC_LOCAL_[A-Z]+_PORT$")]
    private static partial Regex PortVariable();

    [GeneratedRegex(@"Status page:\s+(http://\S+)")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"IRC server:\s+(\S+):(\d+)\b.*join (#\S+) .*the bot is (\S+)")]
    private static partial Regex IrcLine();

    [GeneratedRegex(@"Then type:\s+(!log .+)$")]
    private static partial Regex TypeLine();

    /// <summary>
    /// Starts the demo on the running test wiki, with an IRC server and status port of its own (free ports,
    /// so the demo starts that IRC server itself) and a fresh state folder, and waits for its instructions.
    /// </summary>
    public static async Task<DemoServe> StartAsync(TimeSpan timeout)
    {
        var ircPort = FreePort();
        var httpPort = FreePort();
        var data = Path.Combine(Path.GetTempPath(), "wikisync-demo-it-" + Guid.NewGuid().ToString("N")[..8]);
        var start = new ProcessStartInfo("setsid", ["env", "--default-signal=INT", "bash", Path.Combine(RepoPaths.Scripts, "demo.sh"), "--serve"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = RepoPaths.Root,
        };
        // Only the port variables come from the test run, as the README's command is typed.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("WIKISYNC_", StringComparison.Ordinal) && !PortVariable().IsMatch(k)).ToList())
            start.Environment.Remove(name);
        start.Environment["WIKISYNC_LOCAL_IRC_PORT"] = ircPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["WIKISYNC_HTTP_PORT"] = httpPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["WIKISYNC_DATA"] = data;
        var demo = new DemoServe(Process.Start(start)!, data, ircPort, httpPort);
        try
        {
            await demo.WaitForInstructionsAsync(timeout);
            return demo;
        }
        catch
        {
            await demo.DisposeAsync();
            throw;
        }
    }

    private async Task WaitForInstructionsAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!_stdout.Any(l => TypeLine().IsMatch(l)))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"demo.sh --serve exited {_process.ExitCode} before its instructions:\n{Output}");
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"demo.sh --serve printed no instructions within {timeout}:\n{Output}");
            await Task.Delay(200);
        }

        var lines = _stdout.ToList();
        StatusPage = new Uri(lines.Select(l => StatusLine().Match(l)).First(m => m.Success).Groups[1].Value);
        var irc = lines.Select(l => IrcLine().Match(l)).FirstOrDefault(m => m.Success)
                  ?? throw new InvalidOperationException($"no IRC line in the demo's output:\n{Output}");
        Irc = (irc.Groups[1].Value, int.Parse(irc.Groups[2].Value, CultureInfo.InvariantCulture));
        Channel = irc.Groups[3].Value;
        BotNick = irc.Groups[4].Value;
        LogLine = lines.Select(l => TypeLine().Match(l)).First(m => m.Success).Groups[1].Value.Trim();
        var sessionOfDemo = File.ReadAllText($"/proc/{_process.Id}/stat").Split(") ")[1].Split(' ')[3];
        if (sessionOfDemo != _process.Id.ToString(CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"demo.sh is not the leader of its own session (session {sessionOfDemo}): refusing to signal a group that is not its own");
    }

    /// <summary>Ctrl-C: SIGINT to the demo's process group; returns its exit code.</summary>
    public async Task<int> InterruptAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            Signal("INT");
            using var limit = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(limit.Token);
        }
        return _process.ExitCode;
    }

    /// <summary>The processes still in the demo's session ("PID ARGS"), after it exited: none, when it stopped what it started.</summary>
    public IReadOnlyList<string> LeftRunning()
    {
        using var ps = Process.Start(new ProcessStartInfo("ps", ["-o", "pid=,args=", "-s", Session.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true })!;
        var output = ps.StandardOutput.ReadToEnd();
        ps.WaitForExit();
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    public static bool Listens(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await InterruptAsync(TimeSpan.FromSeconds(60));
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            // Whatever a failed test left behind goes with its session, never wider.
            if (LeftRunning().Count > 0)
                Signal("KILL");
            _process.Dispose();
            TryDelete(_data);
            TryDelete(Path.Combine(RepoPaths.Root, ".servers", "irc", IrcPort.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", "--", $"-{Session}"]) { RedirectStandardError = true })!;
        kill.WaitForExit();
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
