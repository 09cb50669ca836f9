using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Prxy.Typed.Benchmarks.Db;

/// <summary>The suite on a fresh SQLite file (WAL, synchronous=NORMAL on every connection, as Prxy sets).</summary>
public class SqliteDbBenchmarks : DbBenchmarks
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "prxy-bench-db-" + Guid.NewGuid().ToString("N"));

    private string File => Path.Combine(_dir, "bench.db");

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = File, Pooling = true }.ToString();

    /// <inheritdoc />
    protected override bool IsPostgres => false;

    /// <inheritdoc />
    protected override string? ConnectionSetup => "PRAGMA synchronous=NORMAL;";

    /// <inheritdoc />
    protected override async Task<SqlDatabase> OpenPrxyAsync() => await SqliteDatabase.OpenAsync(File);

    /// <inheritdoc />
    protected override DbConnection NewConnection() => new SqliteConnection(ConnectionString);

    /// <inheritdoc />
    protected override DbContextOptions<BenchContext> EfOptions() =>
        new DbContextOptionsBuilder<BenchContext>().UseSqlite(ConnectionString).UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking).Options;

    /// <inheritdoc />
    protected override async Task CleanupPrxyAsync(SqlDatabase db)
    {
        await ((SqliteDatabase)db).DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>The suite on the real Postgres (PRXY_TEST_POSTGRES), in a fresh schema.</summary>
public class PostgresDbBenchmarks : DbBenchmarks
{
    private readonly string _schema = "bench_" + Guid.NewGuid().ToString("N")[..12];

    private string ConnectionString
    {
        get
        {
            var raw = Environment.GetEnvironmentVariable("PRXY_TEST_POSTGRES")
                ?? throw new InvalidOperationException("Set PRXY_TEST_POSTGRES to an Npgsql connection string (eng/services.sh start prints it).");
            return new NpgsqlConnectionStringBuilder(raw) { SearchPath = _schema }.ConnectionString;
        }
    }

    /// <inheritdoc />
    protected override bool IsPostgres => true;

    /// <inheritdoc />
    protected override async Task<SqlDatabase> OpenPrxyAsync()
    {
        await using (var admin = new NpgsqlConnection(ConnectionString))
        {
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {_schema}", admin);
            await command.ExecuteNonQueryAsync();
        }

        return await PostgresDatabase.OpenAsync(ConnectionString, new DatabaseOptions { CreateVectorExtension = false });
    }

    /// <inheritdoc />
    protected override DbConnection NewConnection() => new NpgsqlConnection(ConnectionString);

    /// <inheritdoc />
    protected override DbContextOptions<BenchContext> EfOptions() =>
        new DbContextOptionsBuilder<BenchContext>().UseNpgsql(ConnectionString).UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking).Options;

    /// <inheritdoc />
    protected override async Task CleanupPrxyAsync(SqlDatabase db)
    {
        await ((PostgresDatabase)db).DisposeAsync();
        await using var admin = new NpgsqlConnection(ConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", admin);
        await command.ExecuteNonQueryAsync();
    }
}
