using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Prxy.Typed.Migrations.Tests;

/// <summary>A SQLite database file: the same seam the storage layer implements, over Microsoft.Data.Sqlite.</summary>
/// <param name="path">The database file.</param>
/// <param name="sleepMs">How long the <c>test_sleep()</c> SQL function sleeps on this factory's connections.</param>
/// <param name="sleepMarker">A file that <c>test_sleep()</c> creates before it sleeps, so a test knows the migration is under way.</param>
public sealed class SqliteTestDatabase(string path, int sleepMs = 0, string? sleepMarker = null) : ISqlConnectionFactory
{
    private int _invalidations;

    /// <summary>A new database file in a fresh temporary directory.</summary>
    public static SqliteTestDatabase Create()
    {
        var dir = Path.Combine(Path.GetTempPath(), "prxy-mig-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return new SqliteTestDatabase(Path.Combine(dir, "test.db"));
    }

    public string FilePath { get; } = path;

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString();

    public SqlDialectKind Dialect => SqlDialectKind.Sqlite;

    public int Invalidations => Volatile.Read(ref _invalidations);

    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        connection.CreateFunction("test_sleep", () =>
        {
            if (sleepMarker is not null)
            {
                File.WriteAllText(sleepMarker, "sleeping");
            }

            Thread.Sleep(sleepMs);
            return 0L;
        });
        return connection;
    }

    public void InvalidateSchema() => Interlocked.Increment(ref _invalidations);
}

/// <summary>A PostgreSQL database over an <see cref="NpgsqlDataSource"/>.</summary>
public sealed class PostgresTestDatabase(string connectionString) : ISqlConnectionFactory, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);
    private int _invalidations;

    public string ConnectionString { get; } = connectionString;

    public SqlDialectKind Dialect => SqlDialectKind.Postgres;

    public int Invalidations => Volatile.Read(ref _invalidations);

    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
        => await _dataSource.OpenConnectionAsync(cancellationToken);

    public void InvalidateSchema() => Interlocked.Increment(ref _invalidations);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
