using System.Text;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.Benchmarks.Scenarios;

/// <summary>Issue 6 (e): `sync --dry-run` for N projects whose pages do not exist: wall time, requests, peak RSS.</summary>
public sealed class ScaleScenario(BenchContext context, FaultProxy proxy)
{
    public async Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        var n = context.Options.ScaleProjects;
        var inventory = Path.Combine(context.WorkDir, "scale-inventory.yaml");
        var state = Path.Combine(context.WorkDir, "scale-state");
        Directory.CreateDirectory(state);
        // A prefix no other scenario uses, so none of these pages exists.
        InventoryFile.Write(inventory, InventoryFile.Generate("scale", n, seed: 7));
        var wall = new List<double>();
        var requests = new List<double>();
        var rss = new List<double>();
        var outputMb = new List<double>();
        // An earlier build (WIKISYNC_BENCH_BASELINE, as in the refresh scenarios), run before this one in every run.
        var baseline = Environment.GetEnvironmentVariable("WIKISYNC_BENCH_BASELINE") is { Length: > 0 } b ? b : null;
        var baseRss = new List<double>();
        var baseWall = new List<double>();
        for (var run = 0; run < context.Options.ScaleRuns; run++)
        {
            if (baseline is not null)
            {
                var env = context.WikiSyncEnvironment(proxy, inventory, Path.Combine(context.WorkDir, "scale-state-baseline"));
                Directory.CreateDirectory(env["WIKISYNC_DATA"]);
                env["WIKISYNC_TEST_EXECUTABLE"] = baseline;
                var before = await WikiSyncProcess.RunAsync(["sync", "--dry-run", .. BenchContext.ProjectPageJobs], env, measureMemory: true, timeout: TimeSpan.FromMinutes(30), ct: ct);
                if (before.ExitCode != 0)
                    throw new InvalidOperationException($"baseline wikisync sync --dry-run exited {before.ExitCode}\n{RefreshScenarios.Tail(before.Output)}");
                baseWall.Add(before.Elapsed.TotalSeconds);
                baseRss.Add((before.PeakRssKb ?? double.NaN) / 1024.0);
                Console.Error.WriteLine($"scale: baseline run {run + 1}: {before.Elapsed.TotalSeconds:0.00} s, {baseRss[^1]:0} MB");
            }
            proxy.ResetCounters();
            var result = await WikiSyncProcess.RunAsync(["sync", "--dry-run", .. BenchContext.ProjectPageJobs],
                context.WikiSyncEnvironment(proxy, inventory, state), measureMemory: true, timeout: TimeSpan.FromMinutes(30), ct: ct);
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"wikisync sync --dry-run exited {result.ExitCode}\n{RefreshScenarios.Tail(result.Output)}");
            if (proxy.RequestsByAction.GetValueOrDefault("edit") != 0)
                throw new InvalidOperationException("a dry run sent an edit");
            wall.Add(result.Elapsed.TotalSeconds);
            requests.Add(proxy.Requests);
            rss.Add((result.PeakRssKb ?? double.NaN) / 1024.0);
            outputMb.Add(Encoding.UTF8.GetByteCount(result.Stdout) / 1024.0 / 1024.0);
            Console.Error.WriteLine($"scale: run {run + 1}: {result.Elapsed.TotalSeconds:0.00} s, {proxy.Requests} requests, {rss[^1]:0} MB");
        }
        var rssSample = new Sample(rss);
        var md = new StringBuilder();
        md.AppendLine($"`wikisync sync --dry-run --job instances --job members --job sal-recent` for {n} projects whose pages do not exist yet ");
        md.AppendLine("(every page would be created: a full diff per page is printed). Peak RSS from `/usr/bin/time -v`.");
        md.AppendLine();
        md.AppendLine("| projects | wall time, s | HTTP requests | peak RSS, MB | output, MB |");
        md.AppendLine("| --- | --- | --- | --- | --- |");
        md.AppendLine($"| {n} | {new Sample(wall).Format()} | {new Sample(requests).Format("0")} | {rssSample.Format("0")} | {new Sample(outputMb).Format("0.0")} |");
        if (baseline is not null)
            md.AppendLine($"| {n}, baseline `{baseline}` (runs alternated) | {new Sample(baseWall).Format()} | – | {new Sample(baseRss).Format("0")} | – |");
        return new ScenarioResult("Scale: dry run over many new pages", md.ToString(),
            [new($"scale {n}: peak RSS", "≤ 200 MB", rssSample.Format("0"), rssSample.Max <= 200)]);
    }
}
