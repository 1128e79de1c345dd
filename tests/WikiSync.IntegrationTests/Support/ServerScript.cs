using System.Diagnostics;
using System.Text.RegularExpressions;

namespace WikiSync.IntegrationTests.Support;

/// <summary>
/// Runs one of the scripts/local-*.sh server scripts (up|down|env) and parses the `export NAME=VALUE`
/// lines of `env`. The ports come from this process's environment, as the scripts read them.
/// </summary>
public static partial class ServerScript
{
    [GeneratedRegex(@"^export\s+([A-Z0-9_]+)=(.*)$")]
    private static partial Regex Export();

    public static async Task<IReadOnlyDictionary<string, string>> UpAsync(string script, CancellationToken ct = default)
    {
        await RunAsync(script, "up", ct);
        return ParseEnv(await RunAsync(script, "env", ct));
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

    public static async Task<string> RunAsync(string script, string verb, CancellationToken ct = default)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Scripts, script), verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/{script} {verb} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
