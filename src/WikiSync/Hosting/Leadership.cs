using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using WikiSync.Storage;

namespace WikiSync.Hosting;

/// <summary>
/// Work exactly one node does at a time: the IRC connection. It runs while this node leads and is
/// cancelled the moment leadership is lost (connection to PostgreSQL gone) or the host stops.
/// </summary>
public interface ILeaderWork
{
    string Name { get; }

    Task RunAsync(CancellationToken leadershipLost);
}

/// <summary>Whether this node leads now; shown on the status page.</summary>
public interface ILeadership
{
    bool IsLeader { get; }
}

/// <summary>
/// Chooses the leader: on PostgreSQL the node holding a session advisory lock on its own connection
/// (<c>pg_try_advisory_lock</c>), retried every few seconds by the others, so when the leader dies its
/// session ends, the lock is free, and another node takes over within a few seconds; on SQLite the one
/// node always leads.
/// </summary>
public sealed class LeaderElection(
    RunSettings settings,
    IEnumerable<ILeaderWork> work,
    TimeProvider time,
    ILogger<LeaderElection> log) : BackgroundService, ILeadership
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(2);
    private volatile bool _isLeader;

    public bool IsLeader => _isLeader;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var jobs = work.ToList();
        if (!settings.IsClustered)
        {
            _isLeader = true;
            await RunWorkAsync(jobs, stoppingToken);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdvisoryLocks.Unpooled(settings.Store!));
                await connection.OpenAsync(stoppingToken);
                while (!await AdvisoryLocks.TryLockAsync(connection, AdvisoryLocks.LeaderKey, stoppingToken))
                    await Task.Delay(settings.LeaderRetryInterval, time, stoppingToken);

                _isLeader = true;
                log.LogInformation("This node is the leader now: it holds the IRC connection");
                using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var running = RunWorkAsync(jobs, lost.Token);
                try
                {
                    while (!running.IsCompleted)
                    {
                        await Task.WhenAny(running, Task.Delay(PingInterval, time, stoppingToken));
                        await AdvisoryLocks.PingAsync(connection, stoppingToken);
                    }
                }
                finally
                {
                    _isLeader = false;
                    await lost.CancelAsync();
                    await running;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                log.LogWarning("Lost the leader connection to PostgreSQL ({Reason}); trying again", e.Message);
                await Task.Delay(settings.LeaderRetryInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        _isLeader = false;
    }

    private async Task RunWorkAsync(IReadOnlyList<ILeaderWork> jobs, CancellationToken token)
    {
        await Task.WhenAll(jobs.Select(async j =>
        {
            try
            {
                await j.RunAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                log.LogError(e, "{Work} stopped: {Reason}", j.Name, e.Message);
            }
        }));
        // Work that ends by itself (nothing configured) leaves the node leading, holding the lock.
        if (!token.IsCancellationRequested)
            await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
