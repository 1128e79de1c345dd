using Npgsql;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.IntegrationTests.Hosting;

/// <summary>A fresh database on the PostgreSQL of scripts/local-postgres.sh, dropped afterwards.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _admin;

    private PostgresDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var env = await ServerScript.UpOnceAsync("local-postgres.sh");
        var admin = env["WIKISYNC_TEST_PG"];
        var name = "wikisync_it_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PostgresDatabase(admin, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
