using BenchmarkDotNet.Attributes;

namespace WikiSync.Benchmarks.Micro;

/// <summary>Issue 6 (c): sections rendered per second for a 20-row instance table. Wired once Rendering lands.</summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    public static bool Available => false;

    public static string WhyNot => "Rendering/TemplateSet is not in this build yet.";

    [Benchmark(Description = "render the instances section, 20-row table")]
    public int Render() => 0;
}
