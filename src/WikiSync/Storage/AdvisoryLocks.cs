using Npgsql;

namespace WikiSync.Storage;

/// <summary>The advisory lock keys WikiSync takes, in one place so they never collide.</summary>
internal static class AdvisoryLocks
{
    /// <summary>"WSyn": the class of every WikiSync lock; the second key says which.</summary>
    internal const int Class = 0x5753796E;

    public const int LeaderKey = 1;
    public const int SyncKey = 2;

    /// <summary>A connection of its own: a pooled one would carry the session lock back into the pool.</summary>
    public static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 5, ApplicationName = "wikisync-lock" }.ConnectionString;

    public static async Task<bool> TryLockAsync(NpgsqlConnection connection, int key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@c, @k)", connection);
        command.Parameters.AddWithValue("c", Class);
        command.Parameters.AddWithValue("k", key);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task UnlockAsync(NpgsqlConnection connection, int key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@c, @k)", connection);
        command.Parameters.AddWithValue("c", Class);
        command.Parameters.AddWithValue("k", key);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public static async Task PingAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
