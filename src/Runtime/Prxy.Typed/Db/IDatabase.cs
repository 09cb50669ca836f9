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
    /// <summary>Starts a typed query on table <typeparamref name="T"/>.</summary>
    TableQuery<T> From<T>() where T : ITable<T>;

    /// <summary>Starts an untyped query on <paramref name="table"/>; identifiers are checked against the live schema when it runs.</summary>
    RowQuery From(string table);

    /// <summary>
    /// Runs <paramref name="sql"/> with <c>$1</c>, <c>$2</c>, … placeholders bound to <paramref name="args"/> (on both dialects)
    /// and returns the rows it produces (none for statements without a result set).
    /// </summary>
    Task<DbResult<IReadOnlyList<DbRow>>> RawAsync(string sql, IReadOnlyList<object?>? args = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction on a database bound to it: commits when the returned result is a success,
    /// rolls back when it is an error or when <paramref name="work"/> throws (a <see cref="DbException"/> becomes the returned error;
    /// any other exception is rethrown after the rollback). Nested calls join the outer transaction.
    /// </summary>
    Task<DbResult<TResult>> TransactionAsync<TResult>(Func<IDatabase, Task<DbResult<TResult>>> work, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction: commits when it completes, rolls back when it throws (see the other overload).
    /// The result is <c>true</c> when the transaction committed.
    /// </summary>
    Task<DbResult<bool>> TransactionAsync(Func<IDatabase, Task> work, CancellationToken cancellationToken = default);
}
