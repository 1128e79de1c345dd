using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WikiSync.Hosting;
using WikiSync.IntegrationTests.Hosting;
using WikiSync.Jobs;
using WikiSync.Sections;
using WikiSync.Model;
using WikiSync.Storage;
using WikiSync.Sync;
using WikiSync.Testing;
using WikiSync.Wiki;

namespace WikiSync.IntegrationTests.Cluster;

/// <summary>The PostgreSQL pieces of clustering against the real server, in process.</summary>
public sealed class PostgresCoordinationTests : IAsyncLifetime
{
    private PostgresDatabase _db = null!;

    public async Task InitializeAsync() => _db = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private RunSettings Settings => new() { Store = _db.ConnectionString, LeaderRetryInterval = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task Two_nodes_gates_let_one_sync_in_at_a_time()
    {
        var a = new PostgresSyncGate(_db.ConnectionString, TimeProvider.System, NullLogger<PostgresSyncGate>.Instance);
        var b = new PostgresSyncGate(_db.ConnectionString, TimeProvider.System, NullLogger<PostgresSyncGate>.Instance);
        var inside = 0;
        var most = 0;
        async Task Use(ISyncGate gate)
        {
            await using var _ = await gate.EnterAsync(urgent: false, CancellationToken.None);
            most = Math.Max(most, Interlocked.Increment(ref inside));
            await Task.Delay(150);
            Interlocked.Decrement(ref inside);
        }

        await Task.WhenAll(Use(a), Use(b), Use(a), Use(b));
        most.ShouldBe(1);
    }

    [Fact]
    public async Task A_gate_held_by_a_connection_that_dies_is_free_again()
    {
        await using var holder = new NpgsqlConnection(_db.ConnectionString + ";Pooling=false");
        await holder.OpenAsync();
        await AdvisoryLocks.TryLockAsync(holder, AdvisoryLocks.SyncKey, CancellationToken.None);
        var gate = new PostgresSyncGate(_db.ConnectionString, TimeProvider.System, NullLogger<PostgresSyncGate>.Instance);
        var entering = gate.EnterAsync(urgent: false, CancellationToken.None);
        await Task.Delay(500);
        entering.IsCompleted.ShouldBeFalse();

        await holder.CloseAsync();
        await using var _ = await entering.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Exactly_one_of_two_nodes_leads_and_the_other_takes_over_when_it_stops()
    {
        var workA = new CountingWork();
        var workB = new CountingWork();
        var a = new LeaderElection(Settings, [workA], TimeProvider.System, NullLogger<LeaderElection>.Instance);
        var b = new LeaderElection(Settings, [workB], TimeProvider.System, NullLogger<LeaderElection>.Instance);
        await a.StartAsync(CancellationToken.None);
        await b.StartAsync(CancellationToken.None);
        await WaitFor(() => a.IsLeader || b.IsLeader);
        await Task.Delay(1000);
        (a.IsLeader ^ b.IsLeader).ShouldBeTrue();
        var (leader, follower, followerWork) = a.IsLeader ? (a, b, workB) : (b, a, workA);
        followerWork.Running.ShouldBe(0);

        await leader.StopAsync(CancellationToken.None);
        await WaitFor(() => follower.IsLeader);
        followerWork.Running.ShouldBe(1);
        await follower.StopAsync(CancellationToken.None);
        followerWork.Running.ShouldBe(0);
    }

    [Fact]
    public async Task A_clustered_host_creates_the_quartz_schema_and_runs_its_jobs()
    {
        var runner = new Recording();
        using var host = WikiSyncHost.Build(Settings with { DataFolder = Path.GetTempPath() }, services =>
        {
            services.AddSingleton<ISyncRunner>(runner);
            services.AddSingleton<IWikiSite>(new InMemoryWiki());
            services.AddSingleton<IEditJournal>(new MemoryEditJournal());
            services.AddSingleton<IStore>(new PgStore(_db.ConnectionString));
            services.AddSingleton<ILogEntryReader>(new NoEntries());
            services.AddSingleton(new JobCatalog([new JobDefinition("fast", "jobs/fast.yaml", JobSchedule.Every(TimeSpan.FromSeconds(1)), JobSource.Inventory,
                "fast", "Fast", "fast", false, JobDefinition.DefaultSkeleton, Placement.End, ForEach.Project, new Dictionary<string, string>())], []));
        }, logging => logging.SetMinimumLevel(LogLevel.Warning));
        await host.StartAsync();
        try
        {
            await WaitFor(() => runner.Count >= 2, TimeSpan.FromSeconds(20));
            await using var connection = new NpgsqlConnection(_db.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM qrtz_scheduler_state", connection);
            ((long)(await command.ExecuteScalarAsync())!).ShouldBe(1);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task WaitFor(Func<bool> condition, TimeSpan? limit = null)
    {
        var until = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException("condition not met");
            await Task.Delay(100);
        }
    }

    private sealed class CountingWork : ILeaderWork
    {
        private int _running;

        public string Name => "counting";

        public int Running => _running;

        public async Task RunAsync(CancellationToken leadershipLost)
        {
            Interlocked.Increment(ref _running);
            try
            {
                await Task.Delay(Timeout.Infinite, leadershipLost);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    private sealed class Recording : ISyncRunner
    {
        private int _count;

        public int Count => _count;

        public Task<SyncReport> RunAsync(SyncRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return Task.FromResult(new SyncReport([], []));
        }
    }

    private sealed class NoEntries : ILogEntryReader
    {
        public Task<IReadOnlyList<LogEntry>> ListAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<LogEntry>>([]);

        public Task<IReadOnlyList<string>> ProjectsWithUnpublishedAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
    }

    private sealed class PgStore(string connectionString) : IStore
    {
        public SqlDialect Dialect => SqlDialect.PostgreSql;

        public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
    }
}
