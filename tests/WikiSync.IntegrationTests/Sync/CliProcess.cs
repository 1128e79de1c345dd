using System.Diagnostics;

namespace WikiSync.IntegrationTests.Sync;

/// <summary>Runs the real <c>wikisync</c> executable as a process: the contract is its exit code and its lines.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        // The apphost of the same configuration as this test binary, else the dll through dotnet.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Name;
        var root = Configuration.RepositoryPaths.RepositoryRoot(AppContext.BaseDirectory)!;
        var apphost = Path.Combine(root, "src", "WikiSync.Cli", "bin", configuration, "net10.0", "wikisync");
        var start = File.Exists(apphost)
            ? new ProcessStartInfo(apphost, args)
            : new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "WikiSync.Cli.dll"), .. args]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = workingDirectory;
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("WIKISYNC_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
