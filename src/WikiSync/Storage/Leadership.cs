using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;

namespace WikiSync.Storage;

/// <summary>
/// Runs a piece of work on exactly one node of those sharing a store: the holder of a PostgreSQL session
/// advisory lock, kept on a connection of its own (the lock dies with the session, so a node killed with
/// SIGKILL frees it at once). Others try again every <see cref="Poll"/>, so one takes over well within
/// 30 s. On SQLite there is one node and it always leads.
/// </summary>
public sealed class Leadership(IStore store, string name, TimeProvider time, ILogger<Leadership> log)
{
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>True while this node holds the leadership.</summary>
    public bool IsLeader { get; private set; }

    /// <summary>Waits for leadership, runs <paramref name="work"/> while it lasts, and starts over when it is lost.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        if (store.Dialect.LeaderLockSql() is not { } lockSql)
        {
            IsLeader = true;
            await work(cancellationToken);
            return;
        }

        var key = Key(name);
        while (!cancellationToken.IsCancellationRequested)
        {
            DbConnection? connection = null;
            try
            {
                connection = await store.OpenAsync(cancellationToken);
                if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(lockSql, new { Key = key }, cancellationToken: cancellationToken)))
                {
                    await LeadAsync(connection, key, work, cancellationToken);
                }
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or IOException && !cancellationToken.IsCancellationRequested)
            {
                log.LogWarning("Leadership {Name}: the store is not answering ({Reason}); trying again", name, e.Message);
            }
            finally
            {
                IsLeader = false;
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    private async Task LeadAsync(DbConnection connection, long key, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        IsLeader = true;
        log.LogInformation("Leadership {Name}: this node leads", name);
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = work(lost.Token);
        try
        {
            // The session holds the lock; as long as it answers, we lead.
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(Poll, time, lost.Token));
                if (running.IsCompleted)
                {
                    break;
                }

                await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: lost.Token));
            }
        }
        catch (Exception e) when (e is DbException or IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning("Leadership {Name}: lost the store connection ({Reason}); stepping down", name, e.Message);
        }
        finally
        {
            await lost.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }

            if (connection.State == System.Data.ConnectionState.Open)
            {
                try
                {
                    // Releasing explicitly matters: a pooled connection would otherwise keep the lock.
                    await connection.ExecuteScalarAsync<bool>(new CommandDefinition(store.Dialect.LeaderUnlockSql()!, new { Key = key }));
                }
                catch (DbException)
                {
                    // The session is going away; the lock goes with it.
                }
            }
        }
    }

    /// <summary>A stable 64-bit key for the name (FNV-1a), the same on every node.</summary>
    public static long Key(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in "wikisync:" + name)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }
}
