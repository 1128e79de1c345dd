using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Cli;

/// <summary>Issue 16: help and usage name the installed command, <c>wikisync</c>, not its assembly.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("--help", "wikisync [command] [options]")]
    [InlineData("run --help", "wikisync run [options]")]
    [InlineData("store migrate --help", "wikisync store migrate [options]")]
    [InlineData("sync --help", "wikisync sync [options]")]
    public async Task Help_and_usage_name_the_command_wikisync(string arguments, string usage)
    {
        var run = await WikiSyncProcess.RunAsync(arguments.Split(' '), new Dictionary<string, string>(), timeout: TimeSpan.FromMinutes(1));

        run.ExitCode.ShouldBe(0, run.Output);
        run.Stdout.ShouldContain(usage);
        run.Output.ShouldNotContain("WikiSync.Cli");
    }

    [Fact]
    public async Task A_usage_error_points_to_wikisync_help_and_exits_2()
    {
        var run = await WikiSyncProcess.RunAsync(["no-such-verb"], new Dictionary<string, string>(), timeout: TimeSpan.FromMinutes(1));

        run.ExitCode.ShouldBe(2, run.Output);
        run.Stderr.ShouldContain("Try 'wikisync --help'.");
        run.Output.ShouldNotContain("WikiSync.Cli");
    }
}
