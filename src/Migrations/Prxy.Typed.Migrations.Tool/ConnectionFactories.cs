using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Prxy.Typed.Migrations.Tool;

/// <summary>Opens connections from a connection string; the tool needs nothing of the storage facade but this.</summary>
internal sealed class ConnectionFactory(SqlDialectKind dialect, string connectionString) : ISqlConnectionFactory, IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres = dialect == SqlDialectKind.Postgres ? NpgsqlDataSource.Create(connectionString) : null;

    public SqlDialectKind Dialect => dialect;

    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    // A separate process: there is no cached schema to forget.
    public void InvalidateSchema()
    {
    }

    /// <summary>PostgreSQL for keyword-style strings naming a host, SQLite otherwise (a path or "Data Source=…").</summary>
    public static SqlDialectKind Infer(string connectionString) =>
        connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase) || connectionString.Contains("Server=", StringComparison.OrdinalIgnoreCase)
            ? SqlDialectKind.Postgres
            : SqlDialectKind.Sqlite;

    public ValueTask DisposeAsync() => _postgres?.DisposeAsync() ?? ValueTask.CompletedTask;
}
