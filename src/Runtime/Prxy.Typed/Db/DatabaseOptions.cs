using Microsoft.Extensions.Logging;

namespace Prxy.Typed;

/// <summary>Settings shared by <see cref="SqliteDatabase"/> and <see cref="PostgresDatabase"/>.</summary>
public sealed class DatabaseOptions
{
    /// <summary>
    /// How long one command (and, on Postgres, opening a connection; on SQLite, waiting for the writer) may take before the call
    /// returns a <see cref="DbErrorKind.Timeout"/> or <see cref="DbErrorKind.Unavailable"/> error. Default 30 seconds.
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where failures are logged (rate-limited); null logs nothing.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Postgres only: run <c>CREATE EXTENSION IF NOT EXISTS vector</c> when opening. Default true.</summary>
    public bool CreateVectorExtension { get; init; } = true;

    /// <summary>SQLite: path of the sqlite-vec extension (<c>vec0.so</c>); when it cannot be loaded, vector search scans in process.</summary>
    public string? SqliteVecPath { get; init; }

    /// <summary>PostgreSQL: <c>hnsw.ef_search</c> for vector searches (null keeps the server's default of 40).</summary>
    public int? VectorEfSearch { get; init; }

    internal int CommandTimeoutSeconds => Math.Max(1, (int)Math.Ceiling(CommandTimeout.TotalSeconds));
}
