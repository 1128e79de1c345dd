using System.Diagnostics;

namespace WikiSync.IntegrationTests.Support;

/// <summary>The real ngircd started by scripts/local-irc.sh (port WIKISYNC_LOCAL_IRC_PORT), shared by a collection.</summary>
public sealed class IrcServerFixture : IAsyncLifetime
{
    public string Host { get; private set; } = "127.0.0.1";

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        await LocalScripts.RunAsync("local-irc.sh", "up");
        var env = LocalScripts.ParseExports(await LocalScripts.RunAsync("local-irc.sh", "env"));
        var server = env["WIKISYNC_IRC_SERVER"];
        var colon = server.LastIndexOf(':');
        Host = server[..colon];
        Port = int.Parse(server[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    // The server is shared by every test run on this machine and port; the scripts' `down` is for test.sh.
    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class IrcCollection : ICollectionFixture<IrcServerFixture>
{
    public const string Name = "ngircd";
}

/// <summary>Runs scripts/*.sh from the repository the tests were built in.</summary>
internal static class LocalScripts
{
    public static string Root { get; } = FindRoot();

    public static async Task<string> RunAsync(string script, string verb)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Root, "scripts", script), verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/{script} {verb} exited {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }

    public static Dictionary<string, string> ParseExports(string output)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith("export ", StringComparison.Ordinal) || line.IndexOf('=', StringComparison.Ordinal) is var eq && eq < 0)
            {
                continue;
            }

            var value = line[(eq + 1)..];
            if (value.Length >= 2 && value[0] is '\'' or '"' && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            result[line[7..eq]] = value;
        }

        return result;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WikiSync.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("WikiSync.sln not found above " + AppContext.BaseDirectory);
    }
}
