using System.Data.Common;

namespace Prxy.Typed;

/// <summary>The SQL dialects Prxy.Typed speaks.</summary>
public enum SqlDialectKind
{
    /// <summary>SQLite (embedded default).</summary>
    Sqlite,
    /// <summary>PostgreSQL (with pgvector).</summary>
    Postgres,
}

/// <summary>Raw connections, for migration runners and tools. Module code uses the query API instead.</summary>
public interface ISqlConnectionFactory
{
    /// <summary>The database's dialect.</summary>
    SqlDialectKind Dialect { get; }

    /// <summary>Opens a new connection that the caller disposes. On SQLite it is a separate writer-capable connection.</summary>
    ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets the cached live schema (the untyped API re-reads it); call after DDL.</summary>
    void InvalidateSchema();
}

/// <summary>The relational store: typed and untyped queries on SQLite or PostgreSQL. Failures are <see cref="DbResult{T}"/> values.</summary>
public partial interface IDatabase : ISqlConnectionFactory
{
}
