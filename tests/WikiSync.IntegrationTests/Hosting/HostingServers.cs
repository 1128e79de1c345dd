using System.Diagnostics;
using System.Text.RegularExpressions;

namespace WikiSync.IntegrationTests.Hosting;

/// <summary>
/// Starts a server through its script (<c>scripts/NAME.sh up</c>) and reads what <c>env</c> prints, once
/// per test run and script. The scripts are idempotent, so a server another fixture started is reused.
/// </summary>
public static partial class HostingServers
{
    private static readonly Dictionary<string, Lazy<IReadOnlyDictionary<string, string>>> Started = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    public static string RepositoryRoot { get; } = FindRoot();

    public static IReadOnlyDictionary<string, string> Up(string script)
    {
        Lazy<IReadOnlyDictionary<string, string>> lazy;
        lock (Gate)
        {
            if (!Started.TryGetValue(script, out lazy!))
                Started[script] = lazy = new Lazy<IReadOnlyDictionary<string, string>>(() => Run(script));
        }

        return lazy.Value;
    }

    private static IReadOnlyDictionary<string, string> Run(string script)
    {
        var path = Path.Combine(RepositoryRoot, "scripts", script);
        if (!File.Exists(path))
            throw new InvalidOperationException($"{path} does not exist: the server this test needs has no script in this checkout");
        Exec(path, "up");
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Exec(path, "env").Split('\n'))
        {
            var match = ExportLine().Match(line.Trim());
            if (match.Success)
                env[match.Groups[1].Value] = Unquote(match.Groups[2].Value);
        }

        return env;
    }

    private static string Exec(string path, string verb)
    {
        var info = new ProcessStartInfo(path, verb)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(path)} {verb} failed ({process.ExitCode}): {stderr.Result}");
        return stdout;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WikiSync.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("WikiSync.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^export\s+([A-Z0-9_]+)=(.*)$")]
    private static partial Regex ExportLine();
}
