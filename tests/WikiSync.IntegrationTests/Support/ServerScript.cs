using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace WikiSync.IntegrationTests.Support;

/// <summary>
/// Runs one of the scripts/local-*.sh server scripts (up|down|env) and parses the `export NAME=VALUE`
/// lines of `env`. The ports come from this process's environment, as the scripts read them. The one
/// place the tests start servers from.
/// </summary>
public static partial class ServerScript
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyDictionary<string, string>>>> Started = new(StringComparer.Ordinal);

    /// <summary>The longest a verb may take: the wiki's first `up` installs MediaWiki.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(15);

    [GeneratedRegex(@"^export\s+([A-Z0-9_]+)=(.*)$")]
    private static partial Regex Export();

    /// <summary>
    /// `up` then `env`, once per test run and script: the scripts are idempotent, so every fixture and test
    /// asking for the same server shares one start (and one failure, rather than waiting out each again).
    /// </summary>
    public static Task<IReadOnlyDictionary<string, string>> UpOnceAsync(string script) =>
        Started.GetOrAdd(script, s => new Lazy<Task<IReadOnlyDictionary<string, string>>>(() => UpAsync(s, timeout: StartTimeout))).Value;

    /// <summary><see cref="UpOnceAsync"/> for the constructors that cannot await.</summary>
    public static IReadOnlyDictionary<string, string> UpOnce(string script) => UpOnceAsync(script).GetAwaiter().GetResult();

    public static async Task<IReadOnlyDictionary<string, string>> UpAsync(string script, CancellationToken ct = default, TimeSpan? timeout = null)
    {
        await RunAsync(script, "up", ct, timeout);
        return ParseEnv(await RunAsync(script, "env", ct, timeout));
    }

    public static Task DownAsync(string script, CancellationToken ct = default) => RunAsync(script, "down", ct);

    public static bool Exists(string script) => File.Exists(Path.Combine(RepoPaths.Scripts, script));

    public static IReadOnlyDictionary<string, string> ParseEnv(string output)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            if (Export().Match(line.Trim()) is not { Success: true } m)
                continue;
            var value = m.Groups[2].Value;
            if (value.Length >= 2 && (value[0] == '\'' || value[0] == '"') && value[^1] == value[0])
                value = value[1..^1].Replace("'\\''", "'", StringComparison.Ordinal);
            result[m.Groups[1].Value] = value;
        }
        return result;
    }

    /// <summary>Runs scripts/SCRIPT VERB; past <paramref name="timeout"/> (none by default) the whole process tree is killed.</summary>
    public static async Task<string> RunAsync(string script, string verb, CancellationToken ct = default, TimeSpan? timeout = null)
    {
        var path = Path.Combine(RepoPaths.Scripts, script);
        if (!File.Exists(path))
            throw new InvalidOperationException($"{path} does not exist: the server this test needs has no script in this checkout");
        var start = new ProcessStartInfo("bash", [path, verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start scripts/{script}.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout is { } t)
            limit.CancelAfter(t);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // A half-started server (php -S, slapd) must not outlive the wait, nor keep the test run alive.
            process.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested)
                throw;
            throw new TimeoutException($"scripts/{script} {verb} did not finish within {timeout!.Value.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/{script} {verb} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
