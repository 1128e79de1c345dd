using WikiSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace WikiSync.IntegrationTests.Reliability;

/// <summary>Issue 7: no secret in any output, also when things go wrong (bad password, faults, verbose HTTP).</summary>
[Collection(LiveWikiCollection.Name)]
public sealed class SecretsTests(LocalWikiFixture wiki, ITestOutputHelper output)
{
    [Fact]
    public async Task No_password_or_token_appears_in_any_output_even_on_failure()
    {
        await using var bed = await SyncBed.CreateAsync(wiki, projects: 1);
        var env = bed.Env;
        env["WIKISYNC_HTTP_TOKEN"] = "httptoken" + Guid.NewGuid().ToString("N");
        env["WIKISYNC_IRC_PASSWORD"] = "ircpassword" + Guid.NewGuid().ToString("N");
        var wrong = new Dictionary<string, string>(env) { ["WIKISYNC_WIKI_PASSWORD"] = "wrongpassword" + Guid.NewGuid().ToString("N") };
        var outputs = new List<string>();
        foreach (var (args, e) in new (string[], Dictionary<string, string>)[]
                 {
                     (["sync", "--job", "instances", "--verbose"], env),
                     (["sync", "--job", "instances", "--dry-run"], env),
                     (["check"], env),
                     (["sync", "--job", "instances"], wrong),
                     (["check"], wrong),
                 })
        {
            bed.Proxy.Schedule(FaultKind.BadToken, FaultKind.LostSession);
            var run = await WikiSyncProcess.RunAsync(args, e);
            outputs.Add(run.Output);
            SyncBed.Keep("secrets", run.Output);
        }
        var secrets = new[] { wiki.BotPassword, wiki.EditorPassword, env["WIKISYNC_HTTP_TOKEN"], env["WIKISYNC_IRC_PASSWORD"], wrong["WIKISYNC_WIKI_PASSWORD"] };
        var found = outputs.Sum(o => secrets.Count(s => o.Contains(s, StringComparison.Ordinal)));

        // Everything else the suite captured so far too (other tests' runs keep their output there).
        var captured = Directory.GetFiles(RepoPaths.Artifacts("captured-output"), "*.log")
            .Sum(f => secrets.Take(2).Count(s => File.ReadAllText(f).Contains(s, StringComparison.Ordinal)));
        output.WriteLine($"secrets found: {found} in this test's outputs, {captured} in captured outputs");
        SoakFigures.Write("secrets", new Dictionary<string, long> { ["secrets_found"] = found + captured });
        found.ShouldBe(0);
        captured.ShouldBe(0);
    }
}
