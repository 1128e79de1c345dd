using System.Diagnostics;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Harness;

/// <summary>The benchmark harness (scripts/bench.sh) with tiny sizes, so it does not rot between real runs.</summary>
[Collection(LiveWikiCollection.Name)]
public sealed class BenchmarkSmokeTests(LocalWikiFixture wiki)
{
    [Fact]
    public async Task Benchmark_harness_runs_with_tiny_sizes_and_writes_its_results()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepoPaths.Root, "tests", "WikiSync.Benchmarks", "bin", configuration, "net10.0", "WikiSync.Benchmarks.dll");
        File.Exists(dll).ShouldBeTrue($"{dll} is built with the solution");
        var results = Path.Combine(Path.GetTempPath(), $"bench-smoke-{Guid.NewGuid():N}.md");
        var start = new ProcessStartInfo("dotnet", [dll, "--smoke", "--only", "refresh", "--only", "changed", "--only", "scale", "--out", results])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var (key, value) in wiki.Env)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        var log = await stdout + await stderr;
        process.ExitCode.ShouldBe(0, log);
        var md = await File.ReadAllTextAsync(results);
        md.ShouldContain("## Refresh, nothing changed");
        md.ShouldContain("## Refresh, k pages changed");
        md.ShouldContain("## Scale");
        md.ShouldContain("| WikiSync |");
        File.Delete(results);
    }
}
