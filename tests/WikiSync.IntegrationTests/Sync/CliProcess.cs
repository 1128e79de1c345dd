using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Sync;

/// <summary>Runs the real <c>wikisync</c> executable with only the given settings: the contract is its exit code and its lines.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        var run = await WikiSyncProcess.RunAsync(args, environment, timeout: TimeSpan.FromMinutes(2), workingDirectory: workingDirectory, clean: true);
        return new Result(run.ExitCode, run.Stdout, run.Stderr);
    }
}
