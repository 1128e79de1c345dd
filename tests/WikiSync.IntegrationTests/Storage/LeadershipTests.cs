using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using WikiSync.IntegrationTests.Support;
using WikiSync.Storage;

namespace WikiSync.IntegrationTests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class LeadershipTests(PostgresFixture postgres)
{
    [Fact]
    public async Task One_node_leads_and_another_takes_over_when_its_session_dies()
    {
        var connectionString = await postgres.NewDatabaseAsync();
        await using var storeA = new PostgresStore(connectionString);
        await using var storeB = new PostgresStore(connectionString);
        var a = new Leadership(storeA, "irc", TimeProvider.System, NullLogger<Leadership>.Instance) { Poll = TimeSpan.FromMilliseconds(200) };
        var b = new Leadership(storeB, "irc", TimeProvider.System, NullLogger<Leadership>.Instance) { Poll = TimeSpan.FromMilliseconds(200) };
        var leading = 0;
        var maxLeading = 0;
        var ledB = new TaskCompletionSource();
        async Task Work(string node, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref leading);
            InterlockedMax(ref maxLeading, now);
            if (node == "b")
            {
                ledB.TrySetResult();
            }

            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                Interlocked.Decrement(ref leading);
            }
        }

        using var stop = new CancellationTokenSource();
        var runA = a.RunAsync(ct => Work("a", ct), stop.Token);
        await WaitAsync(() => a.IsLeader);
        var runB = b.RunAsync(ct => Work("b", ct), stop.Token);
        await Task.Delay(1000);
        b.IsLeader.ShouldBeFalse();
        maxLeading.ShouldBe(1);

        // Node A "dies": its session is cut, as when the process is killed with SIGKILL.
        await using (var admin = await storeB.OpenAsync(CancellationToken.None))
        {
            await admin.ExecuteAsync(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()");
        }

        await ledB.Task.WaitAsync(TimeSpan.FromSeconds(30));
        b.IsLeader.ShouldBeTrue();
        // A notices at its next heartbeat that its session is gone and stops its work.
        await WaitAsync(() => !a.IsLeader && Volatile.Read(ref leading) == 1);
        maxLeading.ShouldBeLessThanOrEqualTo(2);
        await stop.CancelAsync();
        await Task.WhenAll(runA, runB).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public void Key_is_stable_across_processes() => Leadership.Key("irc").ShouldBe(Leadership.Key("irc"));

    private static async Task WaitAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
