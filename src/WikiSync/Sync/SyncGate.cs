using Microsoft.Extensions.Logging;
using Npgsql;
using WikiSync.Storage;

namespace WikiSync.Sync;

/// <summary>
/// One sync that writes at a time across the whole cluster, so two nodes never edit the same page at
/// once (MediaWiki does not report a conflict between two edits of one account, so the second would
/// silently undo the first one's section). Every writer of every process (CLI or node) goes through it.
/// </summary>
public interface ISyncGate
{
    /// <param name="urgent">Someone waits for this pass (see <see cref="SyncRequest.Urgent"/>): it goes before the passes of the schedule waiting here.</param>
    Task<IAsyncDisposable> EnterAsync(bool urgent, CancellationToken cancellationToken);
}

/// <summary>
/// A single node: an in-process lock that hands over to an urgent waiter before any other, so a notified
/// refresh or a <c>!log</c> entry waits for the pass under way at most, never for the minute's scheduled passes
/// queued behind it; each kind in the order it came.
/// </summary>
public sealed class LocalSyncGate : ISyncGate
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _urgent = new();
    private readonly LinkedList<TaskCompletionSource> _scheduled = new();
    private bool _held;

    public async Task<IAsyncDisposable> EnterAsync(bool urgent, CancellationToken cancellationToken)
    {
        TaskCompletionSource turn;
        LinkedListNode<TaskCompletionSource> place;
        lock (_lock)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_held)
            {
                _held = true;
                return new Releaser(this);
            }
            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            place = (urgent ? _urgent : _scheduled).AddLast(turn);
        }
        // Given up while still in line: it leaves the line. Once handed the gate (out of the line) it keeps it.
        await using (cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                if (place.List is { } line)
                {
                    line.Remove(place);
                    turn.TrySetCanceled(cancellationToken);
                }
            }
        }))
        {
            await turn.Task;
        }
        return new Releaser(this);
    }

    private void HandOver()
    {
        lock (_lock)
        {
            var next = _urgent.First ?? _scheduled.First;
            if (next is null)
            {
                _held = false;
                return;
            }
            next.List!.Remove(next);
            next.Value.SetResult();
        }
    }

    private sealed class Releaser(LocalSyncGate gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                gate.HandOver();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// Several nodes: a PostgreSQL session advisory lock, held on a connection of its own for the length
/// of the run. A node that dies drops its connection, and PostgreSQL releases the lock with it.
/// </summary>
public sealed class PostgresSyncGate(string connectionString, TimeProvider time, ILogger<PostgresSyncGate> log) : ISyncGate
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly LocalSyncGate _local = new();

    /// <remarks>Urgency orders this node's passes; between nodes the advisory lock goes to whichever asks first.</remarks>
    public async Task<IAsyncDisposable> EnterAsync(bool urgent, CancellationToken cancellationToken)
    {
        // Runs on this node queue here first, so they do not all poll the database.
        var local = await _local.EnterAsync(urgent, cancellationToken);
        try
        {
            var connection = new NpgsqlConnection(AdvisoryLocks.Unpooled(connectionString));
            try
            {
                await connection.OpenAsync(cancellationToken);
                var waitedSince = time.GetUtcNow();
                var warned = false;
                while (!await AdvisoryLocks.TryLockAsync(connection, AdvisoryLocks.SyncKey, cancellationToken))
                {
                    if (!warned && time.GetUtcNow() - waitedSince > TimeSpan.FromMinutes(1))
                    {
                        warned = true;
                        log.LogInformation("Waiting for another node's sync to finish");
                    }

                    await Task.Delay(Poll, time, cancellationToken);
                }

                return new Holder(connection, local);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await local.DisposeAsync();
            throw;
        }
    }

    private sealed class Holder(NpgsqlConnection connection, IAsyncDisposable local) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Closing an unpooled connection ends the session, which releases the lock even if the
            // unlock below cannot be sent.
            try
            {
                await AdvisoryLocks.UnlockAsync(connection, AdvisoryLocks.SyncKey, CancellationToken.None);
            }
            catch (NpgsqlException)
            {
            }
            finally
            {
                await connection.DisposeAsync();
                await local.DisposeAsync();
            }
        }
    }
}

/// <summary>
/// Runs every request that writes through the <see cref="ISyncGate"/> (dry runs go straight in), and notes
/// the pages saved in the <see cref="IEditJournal"/>: the one runner the composition hands out, so every writer passes here.
/// </summary>
public sealed class GatedSyncRunner(ISyncRunner inner, ISyncGate gate, IEditJournal? journal = null, TimeProvider? time = null, ILogger? log = null) : ISyncRunner
{
    public async Task<SyncReport> RunAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        if (request.DryRun)
            return await inner.RunAsync(request, cancellationToken);
        SyncReport report;
        await using (await gate.EnterAsync(request.Urgent, cancellationToken))
            report = await inner.RunAsync(request, cancellationToken);
        if (journal is not null)
            await EditJournaling.RecordAsync(journal, request, report, time ?? TimeProvider.System, log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, cancellationToken);
        return report;
    }
}
