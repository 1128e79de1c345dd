using WikiSync.IntegrationTests.Support;

namespace WikiSync.Benchmarks.Scenarios;

/// <summary>Issue 6 (d): `!log` on IRC to revision saved, p50/p95/p99. Wired once the SAL and IRC pieces land.</summary>
public sealed class SalLatencyScenario(BenchContext context, FaultProxy proxy)
{
    public Task<ScenarioResult> RunAsync(CancellationToken ct)
    {
        _ = (context, proxy, ct);
        return Task.FromResult(new ScenarioResult("SAL latency", "Not measured yet: the IRC bot and SAL publisher are not in this build.\n",
            [new("SAL: !log to revision saved, p95", "≤ 1 s", "not measured", null)]));
    }
}
