using Npgsql;
using Prxy.Typed.Testing;

namespace Prxy.Typed.Migrations.Tests;

/// <summary>Fresh databases on the test PostgreSQL (PRXY_TEST_POSTGRES), one per test, dropped afterwards.</summary>
public static class PostgresServer
{
    public static async Task<PostgresTestDatabase> CreateDatabaseAsync()
    {
        var admin = TestServices.Postgres;
        var name = "prxy_mig_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PostgresTestDatabase(builder.ConnectionString);
    }

    public static async Task DropDatabaseAsync(PostgresTestDatabase db)
    {
        var name = new NpgsqlConnectionStringBuilder(db.ConnectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestServices.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
