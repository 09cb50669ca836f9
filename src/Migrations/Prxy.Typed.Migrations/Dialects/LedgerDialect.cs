using System.Data.Common;

namespace Prxy.Typed.Migrations.Dialects;

/// <summary>What differs between databases when running migrations: the ledger DDL, the lock, the transaction.</summary>
internal abstract class LedgerDialect
{
    public static LedgerDialect For(SqlDialectKind kind) => kind switch
    {
        SqlDialectKind.Postgres => PostgresLedgerDialect.Instance,
        SqlDialectKind.Sqlite => SqliteLedgerDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown SQL dialect."),
    };

    public abstract SqlDialectKind Kind { get; }

    /// <summary>Whether the module lock is held for the whole run, so a "started" row seen under it is abandoned.</summary>
    public abstract bool HoldsModuleLock { get; }

    /// <summary>Creates <c>prxy_migrations</c> when missing; safe when several runners do it at once.</summary>
    public abstract Task EnsureLedgerTableAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Whether <c>prxy_migrations</c> exists (status reads must not create it).</summary>
    public abstract Task<bool> LedgerTableExistsAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Takes the module's session-wide lock, if the database has one; the result releases it.</summary>
    public abstract Task<IAsyncDisposable> LockModuleAsync(DbConnection connection, string module, CancellationToken cancellationToken);

    /// <summary>Begins one migration step's transaction; on SQLite it takes the write lock at once.</summary>
    public abstract Task<DbTransaction> BeginStepAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The parameter value stored in <c>applied_at</c>.</summary>
    public abstract object Timestamp(DateTimeOffset value);

    /// <summary>Reads an <c>applied_at</c> value back.</summary>
    public static DateTimeOffset ReadTimestamp(object value) => value switch
    {
        DateTimeOffset dto => dto,
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        string s => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal),
        _ => throw new InvalidCastException($"Unexpected applied_at value of type {value.GetType()}."),
    };

    protected static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    protected sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
