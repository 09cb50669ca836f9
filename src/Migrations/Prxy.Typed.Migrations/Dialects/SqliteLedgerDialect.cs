using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Prxy.Typed.Migrations.Dialects;

/// <summary>
/// SQLite: every migration step starts with <c>BEGIN IMMEDIATE</c>, which takes the database's write lock before
/// the applied set is read, so concurrent runners (threads or processes) apply each migration once.
/// </summary>
internal sealed class SqliteLedgerDialect : LedgerDialect
{
    public static readonly SqliteLedgerDialect Instance = new();

    /// <summary>How long a runner waits for another one's write lock.</summary>
    public const int BusyTimeoutMs = 30_000;

    public override bool HoldsModuleLock => false;

    public override SqlDialectKind Kind => SqlDialectKind.Sqlite;

    public override async Task EnsureLedgerTableAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {BusyTimeoutMs.ToString(CultureInfo.InvariantCulture)}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, """
            CREATE TABLE IF NOT EXISTS prxy_migrations (
                module       TEXT    NOT NULL,
                version      INTEGER NOT NULL,
                name         TEXT    NOT NULL,
                checksum     TEXT    NOT NULL,
                applied_at   TEXT    NOT NULL,
                execution_ms INTEGER NOT NULL,
                state        TEXT    NOT NULL DEFAULT 'applied',
                PRIMARY KEY (module, version)
            )
            """, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<bool> LedgerTableExistsAsync(DbConnection connection, CancellationToken cancellationToken)
        => await ScalarAsync(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'prxy_migrations'", cancellationToken).ConfigureAwait(false) is long and > 0;

    public override Task<IAsyncDisposable> LockModuleAsync(DbConnection connection, string module, CancellationToken cancellationToken)
        => Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    public override Task<DbTransaction> BeginStepAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (connection is not SqliteConnection sqlite)
        {
            throw new InvalidOperationException($"The SQLite migration runner needs a Microsoft.Data.Sqlite connection, got {connection.GetType()}.");
        }

        sqlite.DefaultTimeout = Math.Max(sqlite.DefaultTimeout, BusyTimeoutMs / 1000);

        // deferred: false issues BEGIN IMMEDIATE; busy waits honour busy_timeout and DefaultTimeout.
        return Task.FromResult<DbTransaction>(sqlite.BeginTransaction(deferred: false));
    }

    public override object Timestamp(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
