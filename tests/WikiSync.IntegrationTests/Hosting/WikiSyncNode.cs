using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Hosting;

/// <summary>One <c>wikisync</c> process (the built binary), its output captured line by line.</summary>
public sealed partial class WikiSyncNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private WikiSyncNode(Process process, string name, int httpPort)
    {
        _process = process;
        Name = name;
        HttpPort = httpPort;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int HttpPort { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> Lines => [.. _lines];

    public string Output => string.Join('\n', _lines);

    /// <summary>The <c>wikisync</c> apphost of the build the tests run from (Debug or Release).</summary>
    public static string Binary()
    {
        var path = RepoPaths.WikiSyncExecutable;
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} does not exist: build src/WikiSync.Cli first");
    }

    public static WikiSyncNode Start(string name, IReadOnlyDictionary<string, string> environment, int httpPort, params string[] arguments)
    {
        var info = new ProcessStartInfo(Binary())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        info.Environment["WIKISYNC_HTTP_PORT"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new WikiSyncNode(Process.Start(info)!, name, httpPort);
    }

    /// <summary>Runs a command to its end and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        await using var node = Start("cli", environment, 0, arguments);
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await node._process.WaitForExitAsync(limit.Token);
        node._process.WaitForExit();
        return (node._process.ExitCode, node.Output);
    }

    /// <summary>Firings this node logged: "Job NAME fired for TIME".</summary>
    public IReadOnlyList<(string Job, string ScheduledFire)> Firings() =>
        Lines.Select(l => FiredLine().Match(l)).Where(m => m.Success).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();

    public async Task WaitForLineAsync(Func<string, bool> predicate, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (!_lines.Any(predicate))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before the line appeared:\n{Output}");
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"{Name}: line not seen within {limit}:\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM, as a service manager stops it; waits for the exit.</summary>
    public async Task StopAsync(TimeSpan? limit = null)
    {
        if (_process.HasExited)
            return;
        _ = Kill(_process.Id, 15);
        using var cts = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>SIGKILL: no chance to clean up, as when a machine dies.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
            _ = Kill(_process.Id, 9);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(20));
            }
            catch (OperationCanceledException)
            {
                KillHard();
            }
        }

        _process.Dispose();
    }

    /// <summary>Sends a signal through kill(1): no unsafe code in the test project for one syscall.</summary>
    private static int Kill(int pid, int signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { UseShellExecute = false })!;
        kill.WaitForExit();
        return kill.ExitCode;
    }

    [GeneratedRegex(@"Job (\S+) fired for (\S+)")]
    private static partial Regex FiredLine();
}
