using Npgsql;

namespace WikiSync.IntegrationTests.Support;

/// <summary>
/// The real PostgreSQL of scripts/local-postgres.sh (or WIKISYNC_TEST_PG when set); each test gets a fresh
/// database of its own so tests and helpers sharing the cluster never see each other's rows.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private string _admin = "";

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("WIKISYNC_TEST_PG");
        if (string.IsNullOrWhiteSpace(given))
        {
            given = (await ServerScript.UpOnceAsync("local-postgres.sh"))["WIKISYNC_TEST_PG"];
        }

        _admin = given;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = "wikisync_t_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(_admin))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name}";
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(_admin) { Database = name, Pooling = false }.ToString();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
