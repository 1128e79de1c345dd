using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace WikiSync.Benchmarks.Micro;

/// <summary>Runs the BenchmarkDotNet classes in process (no generated projects to build) and summarises them.</summary>
public static class MicroRunner
{
    // Needs no wiki: `--only micro` runs on any machine.
    public static ScenarioResult Run(BenchOptions options, string workDir)
    {
        var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3).WithIterationCount(options.Smoke ? 3 : 15).WithLaunchCount(1);
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(Path.Combine(workDir, "BenchmarkDotNet"))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.JoinSummary);
        var summaries = new List<Summary> { BenchmarkRunner.Run<SpliceBenchmarks>(config) };
        if (RenderBenchmarks.Available)
            summaries.Add(BenchmarkRunner.Run<RenderBenchmarks>(config));

        var md = new StringBuilder();
        md.AppendLine("BenchmarkDotNet 0.15.8, in-process toolchain, one thread; median of the measured iterations, spread = min–max of the iterations.");
        md.AppendLine();
        md.AppendLine("| benchmark | median | min–max | per second | allocated |");
        md.AppendLine("| --- | --- | --- | --- | --- |");
        var targets = new List<TargetLine>();
        foreach (var report in summaries.SelectMany(s => s.Reports))
        {
            var name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo;
            if (report.ResultStatistics is not { } stats)
            {
                md.AppendLine($"| {name} | failed | | | |");
                continue;
            }
            var perSecond = 1e9 / stats.Median;
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            md.AppendLine($"| {name} | {Time(stats.Median)} | {Time(stats.Min)}–{Time(stats.Max)} | {Fmt.F(perSecond, "#,0")} | {(allocated is { } a ? Fmt.F(a / 1024.0, "#,0.0") + " KB" : "–")} |");
            if (name.Contains("20-row table'", StringComparison.Ordinal))
                targets.Add(new("render: 20-row instance table", "≥ 50,000/s", Fmt.F(perSecond, "#,0") + "/s", perSecond >= 50_000));
            if (name.Contains("20-row table, inputs changed", StringComparison.Ordinal))
                targets.Add(new("render: 20-row instance table, inputs changed", "(no target)", Fmt.F(perSecond, "#,0") + "/s", null));
            if (name.StartsWith("splice 10 changed", StringComparison.Ordinal))
                targets.Add(new("splice: 100 KB page, 10 sections", "(no target)", Time(stats.Median), null));
        }
        if (!RenderBenchmarks.Available)
            md.AppendLine().AppendLine("Rendering is not measured: " + RenderBenchmarks.WhyNot);
        return new ScenarioResult("Render and splice (BenchmarkDotNet)", md.ToString(), targets);
    }

    private static string Time(double ns) => ns switch
    {
        < 1_000 => Fmt.F(ns, "0.0") + " ns",
        < 1_000_000 => Fmt.F(ns / 1_000, "0.00") + " µs",
        _ => Fmt.F(ns / 1_000_000, "0.00") + " ms",
    };
}
