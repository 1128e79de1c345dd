using WikiSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace WikiSync.IntegrationTests.Reliability;

/// <summary>
/// Issue 7: each fault the proxy can inject, on WikiSync's edit: the sync recovers by itself within its
/// bounds (exit 0) and the pages end up right.
/// </summary>
[Collection(LiveWikiCollection.Name)]
public sealed class FaultRecoveryTests(LocalWikiFixture wiki, ITestOutputHelper output)
{
    public static TheoryData<FaultKind> Kinds => [.. Enum.GetValues<FaultKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Sync_recovers_from_a_fault_on_its_edit_and_the_page_is_right(FaultKind kind)
    {
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 2);
        (await bed.SyncAsync()).ExitCode.ShouldBe(0);
        var added = bed.AddInstance(0, 90);

        bed.Proxy.Eligible = r => r.Action == "edit";
        bed.Proxy.ResetCounters();
        bed.Proxy.Schedule(kind);
        // A slow answer is one that comes after the client stopped waiting: the edit did reach the wiki, so the
        // retry must find the page already right (the bot cannot edit-conflict with itself).
        var env = bed.Env;
        env["WIKISYNC_WIKI_TIMEOUT"] = "2";
        bed.Proxy.SlowDelay = TimeSpan.FromSeconds(5);
        var run = await bed.SyncWithAsync(env);
        SyncBed.Keep("fault-recovery", run.Output);
        output.WriteLine($"{kind}: injected {bed.Proxy.InjectedTotal}, recovered {bed.Proxy.RecoveredTotal}, requests {bed.Proxy.Requests}, {run.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(run.Output);

        run.ExitCode.ShouldBe(0, run.Output);
        bed.Proxy.Injected[kind].ShouldBe(1);
        bed.Proxy.Unrecovered.ShouldBe(0);
        using var reader = new ApiSession(wiki.Api);
        (await reader.ReadAsync(bed.Titles[0])).Text.ShouldContain(added);
        SoakFigures.Write($"fault-{kind}", new Dictionary<string, long>
        {
            ["faults_injected"] = bed.Proxy.InjectedTotal, ["faults_recovered"] = bed.Proxy.RecoveredTotal,
        });
    }

    [Fact]
    public async Task Sync_recovers_from_random_faults_on_reads_and_writes()
    {
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 3);
        (await bed.SyncAsync()).ExitCode.ShouldBe(0);
        bed.Proxy.Eligible = r => r.Action is "edit" or "query";
        var kinds = new[] { FaultKind.Maxlag, FaultKind.RateLimited, FaultKind.ReadOnly, FaultKind.Http500, FaultKind.Http502, FaultKind.Http503, FaultKind.Drop, FaultKind.LostSession, FaultKind.BadToken };
        var rounds = SoakFigures.Full ? 20 : 3;
        for (var round = 0; round < rounds; round++)
        {
            var added = bed.AddInstance(round % 3, 100 + round);
            bed.Proxy.InjectRandomly(0.3, seed: round, kinds, maxFaults: bed.Proxy.InjectedTotal + 3);
            var run = await bed.SyncAsync();
            SyncBed.Keep("fault-recovery", run.Output);
            if (run.ExitCode == 1 && run.Output.Contains("twice in a row", StringComparison.Ordinal))
            {
                // Random faults can refuse a fresh edit token twice running, past WikiSync's bound of one new
                // token: it reports the page failed, and the next pass (faults over) puts it right.
                bed.Proxy.InjectRandomly(0, seed: round, kinds, maxFaults: 0);
                run = await bed.SyncAsync();
                SyncBed.Keep("fault-recovery", run.Output);
            }
            run.ExitCode.ShouldBe(0, run.Output);
            using var reader = new ApiSession(wiki.Api);
            (await reader.ReadAsync(bed.Titles[round % 3])).Text.ShouldContain(added);
        }
        output.WriteLine($"random: injected {bed.Proxy.InjectedTotal}, recovered {bed.Proxy.RecoveredTotal}, unrecovered {bed.Proxy.Unrecovered}");
        SoakFigures.Write("fault-random", new Dictionary<string, long>
        {
            ["faults_injected"] = bed.Proxy.InjectedTotal, ["faults_recovered"] = bed.Proxy.RecoveredTotal,
        });
    }
}
